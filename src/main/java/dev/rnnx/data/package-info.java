/**
 * The seed tasks' data, generated deterministically from a seed: nothing is downloaded.
 */
package dev.rnnx.data;
