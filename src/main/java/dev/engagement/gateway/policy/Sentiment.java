package dev.engagement.gateway.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.vader.sentiment.analyzer.SentimentAnalyzer;

/**
 * Sentiment of a short social text by VADER (Hutto and Gilbert 2014, the Java port
 * {@code com.github.apanimesh061:vader-sentiment-analyzer}), a lexicon and rule model tuned for
 * social media: negation, intensifiers, "but", caps and exclamation marks all count. The compound
 * score runs from -1 (most negative) to +1 (most positive); VADER's authors call a text negative
 * at or below -0.05. Praise that sounds violent or criminal ("you're killing it", "a steal") is read through a list
 * of idioms first ({@link #idioms}), or VADER would call it negative. Thread-safe: each call uses its own
 * analyzer (the lexicon is loaded once).
 */
public class Sentiment {

    /** Every idiom's phrase as whole words, case ignored, longest first, in one pattern: a text is scanned once. */
    private final Pattern phrases;
    /** How sentiment reads each phrase (lower case). */
    private final Map<String, String> readings;

    /** Without idioms: VADER as it is. */
    public Sentiment() {
        this(Map.of());
    }

    private Sentiment(Map<String, String> readings) {
        this.readings = Map.copyOf(readings);
        List<String> longestFirst = new ArrayList<>(readings.keySet());
        longestFirst.sort((a, b) -> b.length() - a.length());
        StringBuilder alternatives = new StringBuilder();
        for (String phrase : longestFirst) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(phrase));
        }
        this.phrases = readings.isEmpty() ? null
                : Pattern.compile("(?<![\\p{L}'])(?:" + alternatives + ")(?![\\p{L}])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** Reads "phrase = reading" lines ('#' starts a comment). */
    public static Sentiment withIdioms(InputStream in, String source) {
        Map<String, String> readings = new LinkedHashMap<>();
        for (PolicyFile.Line line : PolicyFile.lines(in, source)) {
            String t = line.text();
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(line.where() + ": expected 'phrase = reading'");
            }
            readings.put(t.substring(0, eq).strip().toLowerCase(Locale.ROOT), t.substring(eq + 1).strip());
        }
        return new Sentiment(readings);
    }

    /**
     * The text as sentiment reads it: the idioms replaced by their readings, after the apostrophe's look-alikes are
     * written as {@code '} the way the rules read them ({@link TextNormaliser}), so an idiom typed with U+02BC or an
     * acute accent is read too.
     */
    String idiomsRead(String text) {
        String t = TextNormaliser.straightApostrophes(text);
        if (phrases == null) {
            return t;
        }
        Matcher m = phrases.matcher(t);
        return m.replaceAll(r -> Matcher.quoteReplacement(readings.get(r.group().toLowerCase(Locale.ROOT))));
    }


    /** The scores of one text: compound in [-1, 1] and the negative/neutral/positive shares. */
    public record Score(double compound, double negative, double neutral, double positive) {
    }

    public Score of(String text) {
        if (text == null || text.isBlank()) {
            return new Score(0, 0, 1, 0);
        }
        try {
            SentimentAnalyzer analyzer = new SentimentAnalyzer(idiomsRead(text));
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
