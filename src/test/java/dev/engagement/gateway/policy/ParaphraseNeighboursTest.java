package dev.engagement.gateway.policy;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParaphraseNeighboursTest {

    /** A unit vector along axis {@code a}, tilted a little towards axis {@code b}. */
    private static float[] near(int a, int b, float tilt) {
        float[] v = new float[ParaphraseClassifier.DIMENSIONS];
        v[a] = 1;
        v[b] = tilt;
        float norm = (float) Math.sqrt(1 + tilt * tilt);
        v[a] /= norm;
        v[b] /= norm;
        return v;
    }

    /** Three scams around axis 0, three ordinary texts around axis 1, one abuse on axis 2. */
    private static ParaphraseNeighbours labelled(double threshold) {
        return new ParaphraseNeighbours(3, 20, threshold, new float[][] {near(0, 3, 0.1f), near(0, 4, 0.2f), near(0, 5, 0.3f),
                near(1, 3, 0.1f), near(1, 4, 0.2f), near(1, 5, 0.3f), near(2, 3, 0.1f)},
                new String[] {"scam", "scam", "scam", "-", "-", "-", "abuse"});
    }

    @Test
    void theNearestVoteAndTheCategoryIsTheOneMostOfTheSensitiveVoteHas() {
        ParaphraseNeighbours n = labelled(0.5);
        ParaphraseNeighbours.Reading scam = n.read(near(0, 6, 0.05f));
        assertEquals("scam", scam.category());
        assertEquals(1.0, scam.score(), 1e-9);
        assertNull(n.read(near(1, 6, 0.05f)), "among the ordinary texts");
        // between the abuse and the ordinary texts, nearer the abuse: most of the vote is the abuse's
        ParaphraseNeighbours.Reading between = n.score(normalised(new float[] {0, 0.5f, 1}), -1);
        assertEquals("abuse", between.category());
        assertTrue(between.score() > 0.5 && between.score() < 1, "the ordinary texts vote too: " + between.score());
        assertNull(labelled(0.9999).read(normalised(new float[] {0, 0.5f, 1})), "below a stricter threshold");
    }

    @Test
    void aLabelledTextLeftOutDoesNotVoteOnItself() {
        ParaphraseNeighbours n = labelled(0.5);
        float[] abuse = near(2, 3, 0.1f);
        assertEquals("abuse", n.score(abuse, -1).category(), "itself the nearest");
        ParaphraseNeighbours.Reading without = n.score(abuse, 6);
        assertTrue(!"abuse".equals(without.category()), "left out, the only abuse does not vote: " + without);
    }

    @Test
    void whatTheTrainerWritesLoadsAsTheSameNeighbours() throws Exception {
        Random random = new Random(7);
        float[][] vectors = new float[40][];
        String[] labels = new String[40];
        for (int i = 0; i < vectors.length; i++) {
            float[] v = new float[ParaphraseClassifier.DIMENSIONS];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) random.nextGaussian();
            }
            vectors[i] = normalised(v);
            labels[i] = i % 3 == 0 ? "phishing" : ParaphraseNeighbours.ORDINARY;
        }
        ParaphraseNeighbours written = new ParaphraseNeighbours(5, 20, 0.731, vectors, labels);
        StringWriter out = new StringWriter();
        written.write(out, "a test");
        ParaphraseNeighbours read = ParaphraseNeighbours.load(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)), "test");
        assertEquals(40, read.size());
        assertEquals(0.731, read.threshold(), 1e-9);
        assertEquals(List.of("phishing"), read.categoryNames());
        for (int i = 0; i < 40; i++) {
            assertEquals(written.label(i), read.label(i));
            assertEquals(written.score(vectors[i], i).score(), read.score(vectors[i], i).score(), 1e-6, "text " + i);
        }
    }

    @Test
    void aBrokenFileNamesTheLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ParaphraseNeighbours.load(new ByteArrayInputStream(
                "neighbours\t5\t20\t0.7\nscam\t0.01\tnot-base64!\n".getBytes(StandardCharsets.UTF_8)), "neighbours.tsv"));
        assertTrue(e.getMessage().startsWith("neighbours.tsv:2: not a line of labelled neighbours"), e.getMessage());
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> ParaphraseNeighbours.load(
                new ByteArrayInputStream("# nothing\n".getBytes(StandardCharsets.UTF_8)), "empty.tsv"));
        assertTrue(none.getMessage().contains("no 'neighbours"), none.getMessage());
        IllegalStateException tooFew = assertThrows(IllegalStateException.class, () -> ParaphraseNeighbours.load(
                new ByteArrayInputStream("neighbours\t5\t20\t0.7\n".getBytes(StandardCharsets.UTF_8)), "few.tsv"));
        assertEquals("few.tsv: 0 texts and 0 labels for 5 neighbours", tooFew.getMessage());
    }

    private static float[] normalised(float[] head) {
        float[] v = new float[ParaphraseClassifier.DIMENSIONS];
        double norm = 0;
        for (float f : head) {
            norm += f * f;
        }
        for (int d = 0; d < head.length; d++) {
            v[d] = (float) (head[d] / Math.sqrt(norm));
        }
        return v;
    }
}
