package dev.engagement.gateway.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.vader.sentiment.analyzer.SentimentAnalyzer;

/**
 * Sentiment of a short social text by VADER (Hutto and Gilbert 2014, the Java port
 * {@code com.github.apanimesh061:vader-sentiment-analyzer}), a lexicon and rule model tuned for
 * social media: negation, intensifiers, "but", caps and exclamation marks all count. The compound
 * score runs from -1 (most negative) to +1 (most positive); VADER's authors call a text negative
 * at or below -0.05. Thread-safe: each call uses its own analyzer (the lexicon is loaded once).
 */
public class Sentiment {

    /** The scores of one text: compound in [-1, 1] and the negative/neutral/positive shares. */
    public record Score(double compound, double negative, double neutral, double positive) {
    }

    public Score of(String text) {
        if (text == null || text.isBlank()) {
            return new Score(0, 0, 1, 0);
        }
        try {
            SentimentAnalyzer analyzer = new SentimentAnalyzer(text);
            analyzer.analyze();
            Map<String, Float> p = analyzer.getPolarity();
            return new Score(value(p, "compound"), value(p, "negative"), value(p, "neutral"), value(p, "positive"));
        } catch (IOException e) {
            throw new UncheckedIOException("VADER could not tokenize the text", e);
        }
    }

    private static double value(Map<String, Float> polarity, String key) {
        Float f = polarity.get(key);
        return f == null ? 0 : Math.round(f * 1000.0) / 1000.0;
    }
}
