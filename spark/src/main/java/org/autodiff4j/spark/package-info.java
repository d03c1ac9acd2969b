/**
 * {@code --executor spark}: a sweep's trials and an evaluation's shards as Apache Spark tasks
 * ({@link org.autodiff4j.spark.SparkExecutor}), on a standalone cluster, YARN, Kubernetes or {@code local[N]}.
 */
package org.autodiff4j.spark;
