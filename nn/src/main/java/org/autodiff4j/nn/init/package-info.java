/**
 * Weight initialisers: PyTorch's default for Linear, Xavier (Glorot) and He (Kaiming).
 */
package org.autodiff4j.nn.init;
