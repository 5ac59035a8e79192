package dev.engagement.gateway.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the categories of sensitive content in a text, each with the detector that fired and its score: the
 * lexicon (words and phrases), the patterns (numbers, links, requests, threats) and, for the texts a caller asks
 * it for, the paraphrase model. The text is normalised once ({@link TextNormaliser}) and every detector reads
 * that. Invisible characters hidden inside words are a category of their own ("evasion"): whoever hides a word
 * means to slip it past a check.
 */
public class SensitiveContent {

    /** The category a hidden character inside a word, or a bidi control, reports. */
    public static final String EVASION = "evasion";

    /** One category found in a text: which detector fired, its score (1 for a rule), and what it saw. */
    public record Finding(String category, String detector, double score, String evidence) {

        /** The detector of a paraphrase model's reading. */
        static final String MODEL = "model";

        /** A reading of the paraphrase model, not a rule's match. */
        public boolean byModel() {
            return MODEL.equals(detector);
        }
    }

    /**
     * The findings in a text, and the paraphrase model's probability per category when it read the text (empty when
     * it did not: no model, not asked, or no words), those under their threshold too.
     */
    public record Examined(List<Finding> findings, Map<String, Double> modelProbabilities) {
    }

    private final SensitiveLexicon lexicon;
    private final SensitivePatterns patterns;
    private final ParaphraseClassifier model;

    /** {@code model} may be null: the rules alone. */
    public SensitiveContent(SensitiveLexicon lexicon, SensitivePatterns patterns, ParaphraseClassifier model) {
        this.lexicon = lexicon;
        this.patterns = patterns;
        this.model = model;
    }

    /** Every category the detectors may report. */
    public List<String> categoryNames() {
        List<String> names = new ArrayList<>(lexicon.categoryNames());
        patterns.categoryNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
        if (model != null) {
            model.categoryNames().stream().filter(n -> !names.contains(n)).forEach(names::add);
        }
        if (!names.contains(EVASION)) {
            names.add(EVASION);
        }
        return names;
    }

    /** The findings in a text, one per category, the rules' first; the model runs only when {@code withModel}. */
    public List<Finding> find(String text, boolean withModel) {
        return find(text, null, withModel);
    }

    /**
     * The same for a text that answers {@code answered} (the post under a reply, or null), which the model reads
     * with it: the rules read the text alone.
     */
    public List<Finding> find(String text, String answered, boolean withModel) {
        return examine(text, answered, withModel).findings();
    }

    /** The findings, and what the paraphrase model read of each category (see {@link Examined}). */
    public Examined examine(String text, String answered, boolean withModel) {
        if (text == null || text.isBlank()) {
            return new Examined(List.of(), Map.of());
        }
        TextNormaliser.Normalised normalised = TextNormaliser.normalise(text);
        List<List<String>> readings = lexicon.readings(normalised.text());
        String wordLine = lexicon.wordLine(normalised.text());
        Map<String, Finding> found = new LinkedHashMap<>();
        for (SensitiveLexicon.Match m : lexicon.find(readings)) {
            found.putIfAbsent(m.category(), new Finding(m.category(), "lexicon", 1.0, "'" + m.phrase() + "'"));
        }
        for (SensitivePatterns.Match m : patterns.find(normalised.text(), wordLine)) {
            found.putIfAbsent(m.category(), new Finding(m.category(), "pattern", 1.0, "'" + m.evidence().strip() + "'"));
        }
        if (!normalised.hidden().isEmpty()) {
            found.putIfAbsent(EVASION, new Finding(EVASION, "normaliser", 1.0, "invisible characters " + normalised.hidden()
                    + " hidden in the text: " + TextNormaliser.neutralised(text)));
        }
        Map<String, Double> probabilities = Map.of();
        if (withModel && model != null) {
            String answeredWords = answered == null || answered.isBlank() ? null : modelText(answered);
            ParaphraseClassifier.Reading reading = model.read(wordLine, answeredWords);
            probabilities = reading.probabilities();
            for (ParaphraseClassifier.Verdict v : reading.verdicts()) {
                found.putIfAbsent(v.category(), new Finding(v.category(), Finding.MODEL, v.probability(), v.byNeighbours()
                        ? String.format(Locale.ROOT, "the labelled texts nearest to it need a human, most of them %s "
                                + "(%.2f of the nearest ones' vote)", v.category(), v.probability())
                        : String.format(Locale.ROOT, "the paraphrase model reads it%s as %s (p=%.2f)",
                                answeredWords == null ? "" : ", with the post it answers,",
                                v.category().equals(ParaphraseClassifier.ANY) ? "like the texts that need a human, of no one category"
                                        : v.category(), v.probability())));
            }
        }
        return new Examined(List.copyOf(found.values()), probabilities);
    }

    /**
     * What in a reply warns against the text it answers ("That's not us", "please don't click it"), by the
     * patterns' {@value SensitivePatterns#WARNING} section; null when nothing does.
     */
    public String warning(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String normalised = TextNormaliser.normalise(text).text();
        return patterns.warning(normalised, lexicon.wordLine(normalised));
    }

    /** The text the paraphrase model reads: the normalised words, masks undone, joined by spaces. */
    public String modelText(String text) {
        return lexicon.wordLine(TextNormaliser.normalise(text).text());
    }
}
