package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Catches sensitive content the rules were not written for: the text is embedded by a sentence-embedding model
 * (e5-small-v2, {@link SentenceEmbeddings}) and each category has a logistic regression over the embedding (and
 * one more reads any category, {@link #ANY}), trained from a labelled set by {@link ParaphraseModelTrainer} and
 * shipped as a small weights file (one line per category: name, threshold, bias, weights), so nothing is trained
 * when the gateway starts; beside them, the labelled texts nearest to the text ({@link ParaphraseNeighbours}) are
 * read when no regression reads a category. A category whose
 * weights are twice the embedding's length also reads the text it answers (the post under a reply): the features
 * are the reply's embedding, then the post's (zeros when there is none), since a reply may be cruel or careless
 * only given what it answers. The posts' embeddings are kept a while: many replies answer the same post.
 */
public class ParaphraseClassifier {

    /**
     * A category the model sees in a text, with its probability; or, {@code byNeighbours}, the category of the labelled
     * texts nearest to it that need a human, with their share of the vote ({@link ParaphraseNeighbours}).
     */
    public record Verdict(String category, double probability, boolean byNeighbours) {

        Verdict(String category, double probability) {
            this(category, probability, false);
        }
    }

    /** One category's logistic regression. */
    record CategoryModel(String name, double threshold, double bias, float[] weights) {

        /** {@code x} is at least as long as the weights: a category that does not read the post ignores its half. */
        double probability(float[] x) {
            double z = bias;
            for (int i = 0; i < weights.length; i++) {
                z += weights[i] * x[i];
            }
            return 1.0 / (1.0 + Math.exp(-z));
        }
    }

    /**
     * The reading of no one category: the text looks like the texts that need a human as a whole. Reported only when
     * no category of its own is read: beside one, it says nothing a reviewer needs.
     */
    public static final String ANY = "any";

    /** The tone of a text that sentiment reads as neutral: sarcasm, put-downs, gloom (the label "negative"). */
    public static final String NEGATIVE_TONE = "negative_tone";

    /** A reply that is harmful only given the post it answers (the label "target"). */
    public static final String HARMFUL_CONTEXT = "harmful_context";

    /** The length of an embedding: a category's weights are this long, or twice as long when it reads the post. */
    static final int DIMENSIONS = 384;

    private final Function<String, float[]> embeddings;
    private final List<CategoryModel> models;
    private final ParaphraseNeighbours neighbours;
    private final boolean readsAnsweredText;
    private final Cache<String, float[]> answeredTexts = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(10)).build();

    ParaphraseClassifier(Function<String, float[]> embeddings, List<CategoryModel> models) {
        this(embeddings, models, null);
    }

    /** {@code neighbours} may be null: the regressions alone. */
    ParaphraseClassifier(Function<String, float[]> embeddings, List<CategoryModel> models, ParaphraseNeighbours neighbours) {
        this.embeddings = embeddings;
        this.models = List.copyOf(models);
        this.neighbours = neighbours;
        this.readsAnsweredText = models.stream().anyMatch(m -> m.weights().length > DIMENSIONS);
    }

    /** The features of a text and of the text it answers (null or blank: none): the two embeddings in a row. */
    static float[] features(float[] text, float[] answered) {
        float[] x = new float[2 * DIMENSIONS];
        System.arraycopy(text, 0, x, 0, DIMENSIONS);
        if (answered != null) {
            System.arraycopy(answered, 0, x, DIMENSIONS, DIMENSIONS);
        }
        return x;
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
                if (vector.length != DIMENSIONS && vector.length != 2 * DIMENSIONS) {
                    throw new IllegalArgumentException(vector.length + " weights, not " + DIMENSIONS + " or " + 2 * DIMENSIONS);
                }
                models.add(new CategoryModel(cols[0], Double.parseDouble(cols[1]), Double.parseDouble(cols[2]), vector));
            } catch (RuntimeException e) {
                throw new IllegalStateException(line.where() + ": not a line of paraphrase model weights: " + e.getMessage(), e);
            }
        }
        return new ParaphraseClassifier(embeddings, models);
    }

    /** The same regressions with the labelled texts nearest to a text as one more reading (null: none). */
    public ParaphraseClassifier withNeighbours(ParaphraseNeighbours nearest) {
        return new ParaphraseClassifier(embeddings, models, nearest);
    }

    /**
     * What the model reads of a text: the verdicts (the categories that reach their threshold, most probable first)
     * and every regression's probability, those under their threshold too (a weak reading that may back another
     * detector's). Empty for a text with no words.
     */
    public record Reading(List<Verdict> verdicts, Map<String, Double> probabilities) {

        static final Reading NONE = new Reading(List.of(), Map.of());
    }

    /** The categories whose probability reaches their threshold, most probable first. */
    public List<Verdict> classify(String text) {
        return read(text, null).verdicts();
    }

    /** The verdicts and every regression's probability for a text that answers {@code answered} (or null). */
    public Reading read(String text, String answered) {
        if (text == null || text.isBlank()) {
            // nothing to read (a reply of emoji alone): the model has no opinion, and the embedder refuses blank text
            return Reading.NONE;
        }
        float[] x = featuresOf(text, answered);
        List<Verdict> out = new ArrayList<>();
        Map<String, Double> probabilities = new HashMap<>();
        for (CategoryModel m : models) {
            double p = m.probability(x);
            probabilities.put(m.name(), p);
            if (p >= m.threshold()) {
                out.add(new Verdict(m.name(), p));
            }
        }
        boolean categoryRead = out.stream().anyMatch(v -> !v.category().equals(ANY));
        if (!categoryRead && neighbours != null) {
            // the text's own embedding comes first in the features; the neighbours read it alone
            ParaphraseNeighbours.Reading r = neighbours.read(x);
            if (r != null) {
                out.add(new Verdict(r.category(), r.score(), true));
                categoryRead = true;
            }
        }
        if (categoryRead) {
            out.removeIf(v -> v.category().equals(ANY));
        }
        out.sort((a, b) -> Double.compare(b.probability(), a.probability()));
        return new Reading(Collections.unmodifiableList(out), Collections.unmodifiableMap(probabilities));
    }

    /** What the models read of a (non-blank) text that answers {@code answered}: its embedding, and the post's if read. */
    float[] featuresOf(String text, String answered) {
        float[] x = embeddings.apply(text);
        return readsAnsweredText
                ? features(x, answered == null || answered.isBlank() ? null : answeredTexts.get(answered, embeddings)) : x;
    }

    List<CategoryModel> models() {
        return models;
    }

    public List<String> categoryNames() {
        List<String> names = new ArrayList<>(models.stream().map(CategoryModel::name).toList());
        if (neighbours != null) {
            neighbours.categoryNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
        }
        return names;
    }
}
