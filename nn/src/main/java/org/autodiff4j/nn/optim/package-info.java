/**
 * Optimisers over named parameters (SGD with momentum, Adam), gradient clipping and learning-rate schedules.
 */
package org.autodiff4j.nn.optim;
