/**
 * The vertices of a secure computation graph at run time ({@link org.fastcrypt4j.nn.SecureComputationGraph}): layer
 * vertices with their preprocessor and dropout, DL4J's element-wise vertex, and the parameter-free shape and affine
 * vertices (merge, subset, preprocessor, scale, shift), each with its forward map on shares and its backward pass.
 */
package org.fastcrypt4j.nn.graph;
