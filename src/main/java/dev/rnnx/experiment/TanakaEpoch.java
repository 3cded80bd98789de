package dev.rnnx.experiment;

/**
 * One finished epoch of one model in the Tanaka experiment, as its {@code epoch-NN.json} holds it.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss the epoch's mean training loss (cross-entropy per target token)
 * @param validationLoss the loss on {@code dev} after the epoch (cross-entropy per target token, teacher forced)
 * @param devBleu corpus BLEU-4 of the greedy translations of {@code dev}, in percent (0 … 100)
 * @param trainSeconds the epoch's wall time: its steps and the validation loss
 * @param bleuSeconds the wall time of translating {@code dev} and scoring it, the decoder's graph building included
 */
public record TanakaEpoch(int epoch, double trainLoss, double validationLoss, double devBleu, double trainSeconds,
    double bleuSeconds) {}
