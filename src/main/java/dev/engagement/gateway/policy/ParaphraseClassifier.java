package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Catches sensitive content the rules were not written for: the text is embedded by a sentence-embedding model
 * (all-MiniLM-L6-v2, {@link SentenceEmbeddings}) and each category has a logistic regression over the embedding,
 * trained from a labelled set by {@link ParaphraseModelTrainer} and shipped as a small weights file (one line per
 * category: name, threshold, bias, weights), so nothing is trained when the gateway starts.
 */
public class ParaphraseClassifier {

    /** A category the model sees in a text, with its probability. */
    public record Verdict(String category, double probability) {
    }

    /** One category's logistic regression. */
    record CategoryModel(String name, double threshold, double bias, float[] weights) {

        double probability(float[] x) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * x[i];
            }
            return 1.0 / (1.0 + Math.exp(-z));
        }
    }

    private final Function<String, float[]> embeddings;
    private final List<CategoryModel> models;

    ParaphraseClassifier(Function<String, float[]> embeddings, List<CategoryModel> models) {
        this.embeddings = embeddings;
        this.models = List.copyOf(models);
    }

    /** Reads a weights file (tab-separated: category, threshold, bias, then the weights separated by spaces). */
    public static ParaphraseClassifier load(InputStream weights, String source, Function<String, float[]> embeddings) {
        List<CategoryModel> models = new ArrayList<>();
        for (PolicyFile.Line line : PolicyFile.lines(weights, source)) {
            try {
                String[] cols = line.text().split("\t");
                String[] w = cols[3].trim().split(" ");
                float[] vector = new float[w.length];
                for (int i = 0; i < w.length; i++) {
                    vector[i] = Float.parseFloat(w[i]);
                }
                models.add(new CategoryModel(cols[0], Double.parseDouble(cols[1]), Double.parseDouble(cols[2]), vector));
            } catch (RuntimeException e) {
                throw new IllegalStateException(line.where() + ": not a line of paraphrase model weights: " + e.getMessage(), e);
            }
        }
        return new ParaphraseClassifier(embeddings, models);
    }

    /** The categories whose probability reaches their threshold, most probable first. */
    public List<Verdict> classify(String text) {
        if (text == null || text.isBlank()) {
            // nothing to read (a reply of emoji alone): the model has no opinion, and the embedder refuses blank text
            return List.of();
        }
        float[] x = embeddings.apply(text);
        List<Verdict> out = new ArrayList<>();
        for (CategoryModel m : models) {
            double p = m.probability(x);
            if (p >= m.threshold()) {
                out.add(new Verdict(m.name(), p));
            }
        }
        out.sort((a, b) -> Double.compare(b.probability(), a.probability()));
        return out;
    }

    List<CategoryModel> models() {
        return models;
    }

    public List<String> categoryNames() {
        return models.stream().map(CategoryModel::name).toList();
    }
}
