/**
 * One class per differentiable primitive: a static {@code apply} that checks shapes, computes the forward
 * value and records the op, and a {@code backward} that returns one gradient per input. Users call them
 * through the methods of {@link org.autodiff4j.autograd.Variable}.
 */
package org.autodiff4j.autograd.ops;
