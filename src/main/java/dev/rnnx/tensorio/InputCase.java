package dev.rnnx.tensorio;

import dev.rnnx.spec.SourcedInputs;

/**
 * One case of inputs read from files: a {@code test_data_set_N/} folder, a folder of {@code .npy}
 * files, or a {@code .json} file.
 *
 * @param name the case's name (its folder, or its file without {@code .json})
 * @param inputs the tensors by input name, each remembering its file
 */
public record InputCase(String name, SourcedInputs inputs) {}
