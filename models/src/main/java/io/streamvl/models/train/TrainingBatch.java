package io.streamvl.models.train;

import io.streamvl.models.llavamini.PreFusion;
import java.util.Arrays;
import java.util.List;

/**
 * A batch laid out as the training graph's feeds. Prompts are right-padded with id 0, which pre-fusion hides
 * like the placeholder, so padding changes nothing for the real columns. The LLM sequence of sample b is
 * gathered from its rows {@code [T̄' (textLength) | Z' (visualTokens) | answer embeddings (answerLength)]}:
 * {@code T̄'[:p] ++ Z' ++ T̄'[p+1:] ++ answer[:-1]}, then filler up to the batch's longest sequence. Filler sits
 * after every real column, so causal attention keeps it out of the loss.
 *
 * @param textIds prompt ids for the embedding lookup ({@code max(id, 0)}), {@code [B, textLength]}
 * @param textVisible 1 where pre-fusion's output replaces the text embedding, {@code [B, textLength]}
 * @param fusionPositions rotary positions of {@code [G | Z | text]}, repeated for each of a sample's frames
 * @param fusionMask key mask of {@code [G | Z | text]}, repeated likewise
 * @param answerIds the answers' ids ending in the stop token, padded with 0, {@code [B, answerLength]}
 * @param sourceRows flat row of each LLM column in the per-sample sources, {@code [B * sequenceLength]}
 * @param targets the next token each LLM column predicts, {@code [B, sequenceLength]}
 * @param weights 1 on answer targets, 0 elsewhere, {@code [B, sequenceLength]}
 * @param firstTarget the LLM column that predicts each sample's first answer token
 * @param answerTokens each sample's answer length (with the stop token)
 */
record TrainingBatch(int size, int textLength, int[] textIds, float[] textVisible, int[] fusionPositions,
        int[] fusionMask, int answerLength, int[] answerIds, int sequenceLength, int[] sourceRows, int[] positions,
        int[] targets, float[] weights, int[] firstTarget, int[] answerTokens) {

    /**
     * @param prompts each sample's prompt ids with one image placeholder
     * @param answers each sample's answer ids, ending in the stop token
     * @param frames frames per sample
     * @param visionLength pre-fusion's vision columns per frame, G and Z
     * @param visualTokens Z' columns per sample: frames times C²
     */
    static TrainingBatch of(List<int[]> prompts, List<int[]> answers, int[] placeholders, int frames,
            int visionLength, int visualTokens) {
        int b = prompts.size();
        int textLength = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int answerLength = answers.stream().mapToInt(a -> a.length).max().orElseThrow();
        int sequenceLength = 0;
        for (int i = 0; i < b; i++) {
            sequenceLength = Math.max(sequenceLength, prompts.get(i).length - 1 + visualTokens + answers.get(i).length - 1);
        }
        int fusionLength = visionLength + textLength;
        int sourceLength = textLength + visualTokens + answerLength;
        int[] textIds = new int[b * textLength];
        float[] textVisible = new float[b * textLength];
        int[] fusionPositions = new int[b * frames * fusionLength];
        int[] fusionMask = new int[b * frames * fusionLength];
        int[] answerIds = new int[b * answerLength];
        int[] sourceRows = new int[b * sequenceLength];
        int[] positions = new int[b * sequenceLength];
        int[] targets = new int[b * sequenceLength];
        float[] weights = new float[b * sequenceLength];
        int[] firstTarget = new int[b];
        int[] answerTokens = new int[b];
        for (int i = 0; i < b; i++) {
            int[] prompt = Arrays.copyOf(prompts.get(i), textLength);
            int[] answer = answers.get(i);
            for (int j = 0; j < textLength; j++) {
                textIds[i * textLength + j] = Math.max(prompt[j], 0);
                textVisible[i * textLength + j] = prompt[j] > 0 ? 1 : 0;
            }
            int[] pos = PreFusion.positionIds(visionLength, prompt);
            int[] mask = PreFusion.keyMask(visionLength, prompt);
            for (int f = 0; f < frames; f++) {
                System.arraycopy(pos, 0, fusionPositions, (i * frames + f) * fusionLength, fusionLength);
                System.arraycopy(mask, 0, fusionMask, (i * frames + f) * fusionLength, fusionLength);
            }
            System.arraycopy(answer, 0, answerIds, i * answerLength, answer.length);

            int base = i * sourceLength;
            int at = i * sequenceLength;
            int col = 0;
            int p = placeholders[i];
            for (int j = 0; j < p; j++) {
                sourceRows[at + col++] = base + j;
            }
            for (int k = 0; k < visualTokens; k++) {
                sourceRows[at + col++] = base + textLength + k;
            }
            for (int j = p + 1; j < prompts.get(i).length; j++) {
                sourceRows[at + col++] = base + j;
            }
            firstTarget[i] = col - 1;
            for (int k = 0; k < answer.length - 1; k++) {
                sourceRows[at + col++] = base + textLength + visualTokens + k;
            }
            for (; col < sequenceLength; col++) {
                sourceRows[at + col] = base;
            }
            for (int t = 0; t < sequenceLength; t++) {
                positions[at + t] = t;
            }
            for (int k = 0; k < answer.length; k++) {
                targets[at + firstTarget[i] + k] = answer[k];
                weights[at + firstTarget[i] + k] = 1;
            }
            answerTokens[i] = answer.length;
        }
        return new TrainingBatch(b, textLength, textIds, textVisible, fusionPositions, fusionMask, answerLength,
                answerIds, sequenceLength, sourceRows, positions, targets, weights, firstTarget, answerTokens);
    }

}
