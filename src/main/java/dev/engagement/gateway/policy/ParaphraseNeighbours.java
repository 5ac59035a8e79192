package dev.engagement.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The labelled texts nearest to a text, a reading beside the paraphrase model's regressions: a regression draws one
 * straight line through the embeddings, and a put-down or a scam that lies among the labelled ones of its kind on
 * the wrong side of that line is still near them. The text's embedding is compared with every labelled text's
 * (cosine: all are unit length); the {@link #k} nearest vote, each with weight {@code exp(temperature * similarity)}
 * so the nearest count most; the score is the share of the vote that needs a human, and the category the one most
 * of that share has. Shipped as a file {@link ParaphraseModelTrainer} writes (one line per labelled text: its
 * category or {@link #ORDINARY}, the scale and the 384 components as signed bytes in Base64), with the threshold it
 * chose so that at most a share of the ordinary texts, each read against all the others, reach it.
 */
public final class ParaphraseNeighbours {

    /** The label of a text that needs no human. */
    static final String ORDINARY = "-";

    /** What the neighbours say of a text: the share of the vote that needs a human, and its main category. */
    public record Reading(String category, double score) {
    }

    private final int k;
    private final double temperature;
    private final double threshold;
    /**
     * The labelled texts' vectors as signed bytes in one row, the next after the last, and each one's scale: a scan
     * over all of them reads memory in order and multiplies small integers, which the processor does many at a time.
     */
    private final byte[] packed;
    private final float[] scales;
    private final int dimensions;
    private final String[] labels;

    /** The labelled texts by their embeddings, which are kept as signed bytes. */
    ParaphraseNeighbours(int k, double temperature, double threshold, float[][] vectors, String[] labels) {
        this(k, temperature, threshold, Arrays.stream(vectors).map(v -> bytes(v, scaleOf(v))).toArray(byte[][]::new),
                scalesOf(vectors), labels);
    }

    /** The labelled texts as their signed bytes and each one's scale, as the file keeps them. */
    private ParaphraseNeighbours(int k, double temperature, double threshold, byte[][] vectors, float[] scales, String[] labels) {
        if (vectors.length != labels.length || k < 1 || vectors.length < k) {
            throw new IllegalArgumentException(vectors.length + " texts and " + labels.length + " labels for " + k + " neighbours");
        }
        this.k = k;
        this.temperature = temperature;
        this.threshold = threshold;
        this.dimensions = vectors[0].length;
        this.packed = new byte[vectors.length * dimensions];
        for (int i = 0; i < vectors.length; i++) {
            System.arraycopy(vectors[i], 0, packed, i * dimensions, dimensions);
        }
        this.scales = scales;
        this.labels = labels;
    }

    private static float[] scalesOf(float[][] vectors) {
        float[] scales = new float[vectors.length];
        for (int i = 0; i < vectors.length; i++) {
            scales[i] = scaleOf(vectors[i]);
        }
        return scales;
    }

    double threshold() {
        return threshold;
    }

    int size() {
        return labels.length;
    }

    String label(int i) {
        return labels[i];
    }

    /** The categories of the labelled texts that need a human. */
    List<String> categoryNames() {
        return Arrays.stream(labels).filter(l -> !ORDINARY.equals(l)).distinct().sorted().toList();
    }

    /** The reading of a text by its embedding, when it reaches the threshold; null when it does not. */
    public Reading read(float[] embedding) {
        Reading r = score(embedding, -1);
        return r.score() >= threshold ? r : null;
    }

    /** The vote of the {@code k} texts nearest to {@code x}, leaving out text {@code self} (-1: none). */
    Reading score(float[] x, int self) {
        int[] nearest = new int[k];
        double[] similarity = new double[k];
        Arrays.fill(similarity, Double.NEGATIVE_INFINITY);
        // the features may go on with the post's embedding: the neighbours read the text's own
        float[] own = x.length == dimensions ? x : Arrays.copyOf(x, dimensions);
        float scale = scaleOf(own);
        byte[] q = bytes(own, scale);
        for (int i = 0; i < labels.length; i++) {
            if (i == self) {
                continue;
            }
            double s = (double) scale * scales[i] * dot(q, i * dimensions);
            if (s > similarity[k - 1]) {
                // insertion into the k best so far, kept in descending order
                int j = k - 1;
                while (j > 0 && similarity[j - 1] < s) {
                    similarity[j] = similarity[j - 1];
                    nearest[j] = nearest[j - 1];
                    j--;
                }
                similarity[j] = s;
                nearest[j] = i;
            }
        }
        double total = 0;
        double sensitive = 0;
        Map<String, Double> byCategory = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
            // relative to the nearest, so the exponent never overflows; the shares are the same
            double w = Math.exp(temperature * (similarity[j] - similarity[0]));
            total += w;
            String label = labels[nearest[j]];
            if (!ORDINARY.equals(label)) {
                sensitive += w;
                byCategory.merge(label, w, Double::sum);
            }
        }
        String category = byCategory.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        return new Reading(category, sensitive / total);
    }

    /** The signed bytes of {@code q} against those of the vector at {@code offset}. */
    private int dot(byte[] q, int offset) {
        int s = 0;
        for (int d = 0; d < dimensions; d++) {
            s += q[d] * packed[offset + d];
        }
        return s;
    }

    /** A vector's components in steps of {@code scale}, as signed bytes. */
    private static byte[] bytes(float[] v, float scale) {
        byte[] out = new byte[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (byte) Math.round(v[d] / scale);
        }
        return out;
    }

    /** The step of a vector's signed bytes: its largest component is 127 of them. */
    private static float scaleOf(float[] v) {
        float max = 0;
        for (float f : v) {
            max = Math.max(max, Math.abs(f));
        }
        return max == 0 ? 1 : max / 127f;
    }

    /** Reads a neighbours file: a line "neighbours k temperature threshold", then "label, scale, Base64 bytes" per text. */
    public static ParaphraseNeighbours load(InputStream in, String source) {
        Integer k = null;
        double temperature = 0;
        double threshold = 0;
        List<byte[]> vectors = new ArrayList<>();
        List<Float> scales = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (PolicyFile.Line line : PolicyFile.lines(in, source)) {
            try {
                String[] cols = line.text().split("\t");
                if (cols[0].equals("neighbours")) {
                    k = Integer.parseInt(cols[1]);
                    temperature = Double.parseDouble(cols[2]);
                    threshold = Double.parseDouble(cols[3]);
                    continue;
                }
                float scale = Float.parseFloat(cols[1]);
                byte[] bytes = Base64.getDecoder().decode(cols[2]);
                if (bytes.length != ParaphraseClassifier.DIMENSIONS) {
                    throw new IllegalArgumentException(bytes.length + " components, not " + ParaphraseClassifier.DIMENSIONS);
                }
                vectors.add(bytes);
                scales.add(scale);
                labels.add(cols[0]);
            } catch (RuntimeException e) {
                throw new IllegalStateException(line.where() + ": not a line of labelled neighbours: " + e.getMessage(), e);
            }
        }
        if (k == null) {
            throw new IllegalStateException(source + ": no 'neighbours <k> <temperature> <threshold>' line");
        }
        try {
            float[] scale = new float[scales.size()];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = scales.get(i);
            }
            return new ParaphraseNeighbours(k, temperature, threshold, vectors.toArray(new byte[0][]), scale, labels.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(source + ": " + e.getMessage(), e);
        }
    }

    void write(Writer out, String comment) throws IOException {
        out.write("# labelled neighbours: the k nearest, the temperature of their vote, the threshold; then per labelled text "
                + "its category (" + ORDINARY + ": needs no human), the scale and its e5-small-v2 embedding as signed bytes "
                + "(Base64); " + comment + "\n");
        out.write(String.format(Locale.ROOT, "neighbours\t%d\t%.1f\t%.3f%n", k, temperature, threshold));
        for (int i = 0; i < labels.length; i++) {
            byte[] bytes = Arrays.copyOfRange(packed, i * dimensions, (i + 1) * dimensions);
            out.write(labels[i] + "\t" + scales[i] + "\t" + Base64.getEncoder().encodeToString(bytes) + "\n");
        }
    }
}
