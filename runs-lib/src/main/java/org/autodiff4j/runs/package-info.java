/**
 * What a training run shows a person: a progress bar listener for any
 * {@link org.autodiff4j.models.train.TrainLoop}, image grids (like torchvision's {@code save_image}), line
 * and scatter charts, and one self-contained {@code report.html} per run, all written atomically into a
 * {@link org.autodiff4j.runs.RunFolder}.
 */
package org.autodiff4j.runs;
