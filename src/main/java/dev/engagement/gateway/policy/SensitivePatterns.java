package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Sensitive content a word list cannot describe (numbers, links, requests, threats), as regular expressions by
 * category from an editable text file:
 * <pre>
 * [phishing]
 * \b(bit\.ly|tinyurl\.com)/\S
 * ! an exception: the match does not count when this is found earlier in its sentence
 * </pre>
 * Each pattern is matched against two readings of the text: as {@link TextNormaliser} leaves it (links and
 * numbers intact) and as the lexicon reads its words, joined by single spaces (punctuation gone, {@code k1ll}
 * read as "kill"). The header {@value #WARNING} is not a category: its patterns find a reply that warns against
 * the post it answers ("That's not us, please don't click it"), {@link #warning}.
 */
public class SensitivePatterns {

    /** A category found in a text, with the text that showed it. */
    public record Match(String category, String evidence) {
    }

    private record Category(String name, List<Pattern> patterns, List<Pattern> exceptions) {
    }

    /** The header of the patterns that find a warning, not a category of sensitive content. */
    public static final String WARNING = "warning";

    private static final Pattern HEADER = Pattern.compile("\\[\\s*([a-z0-9_\\-]+)\\s*]");

    private final List<Category> categories;
    /** the {@value #WARNING} patterns, or none */
    private final Category warnings;

    private SensitivePatterns(List<Category> categories) {
        this.categories = categories.stream().filter(c -> !c.name().equals(WARNING)).toList();
        this.warnings = categories.stream().filter(c -> c.name().equals(WARNING)).findFirst()
                .orElse(new Category(WARNING, List.of(), List.of()));
    }

    public static SensitivePatterns load(InputStream in, String source) {
        Map<String, List<Pattern>> patterns = new LinkedHashMap<>();
        Map<String, List<Pattern>> exceptions = new LinkedHashMap<>();
        String current = null;
        for (PolicyFile.Line line : PolicyFile.lines(in, source)) {
            String t = line.text();
            Matcher h = HEADER.matcher(t.toLowerCase(Locale.ROOT));
            if (h.matches()) {
                current = h.group(1);
                patterns.computeIfAbsent(current, k -> new ArrayList<>());
                exceptions.computeIfAbsent(current, k -> new ArrayList<>());
                continue;
            }
            if (current == null) {
                throw new IllegalArgumentException(line.where() + ": a pattern before any [category] header");
            }
            boolean exception = t.startsWith("!");
            try {
                Pattern p = Pattern.compile(TextNormaliser.foldLetters(exception ? t.substring(1).strip() : t));
                (exception ? exceptions : patterns).get(current).add(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(line.where() + ": not a regular expression: " + e.getDescription(), e);
            }
        }
        List<Category> out = new ArrayList<>();
        patterns.forEach((name, list) -> out.add(new Category(name, List.copyOf(list), List.copyOf(exceptions.get(name)))));
        return new SensitivePatterns(out);
    }

    /** The first match of each category in either reading, in the file's order of categories. */
    public List<Match> find(String normalised, String wordLine) {
        List<Match> found = new ArrayList<>();
        for (Category c : categories) {
            String evidence = firstMatch(c, normalised, wordLine);
            if (evidence != null) {
                found.add(new Match(c.name(), evidence));
            }
        }
        return found;
    }

    /** What in either reading warns against the text it answers (a {@value #WARNING} pattern's match), or null. */
    public String warning(String normalised, String wordLine) {
        return firstMatch(warnings, normalised, wordLine);
    }

    public List<String> categoryNames() {
        return categories.stream().map(Category::name).toList();
    }

    /** Every pattern and exception, for the test that bounds their time on hostile input. */
    List<Pattern> allPatterns() {
        List<Pattern> all = new ArrayList<>();
        Stream.concat(categories.stream(), Stream.of(warnings)).forEach(c -> {
            all.addAll(c.patterns());
            all.addAll(c.exceptions());
        });
        return all;
    }

    /** The first match of a category in the normalised text, else in its words. */
    private static String firstMatch(Category c, String normalised, String wordLine) {
        String evidence = firstMatch(c, normalised);
        return evidence != null || wordLine.equals(normalised) ? evidence : firstMatch(c, wordLine);
    }

    private static String firstMatch(Category c, String text) {
        for (Pattern p : c.patterns()) {
            Matcher m = p.matcher(text);
            while (m.find()) {
                if (!excepted(c, text, m.start(), m.end())) {
                    return m.group();
                }
            }
        }
        return null;
    }

    /** An exception found in the match's sentence, before the match ends. */
    private static boolean excepted(Category c, String text, int start, int end) {
        if (c.exceptions().isEmpty()) {
            return false;
        }
        int from = start;
        while (from > 0 && ".!?\n".indexOf(text.charAt(from - 1)) < 0) {
            from--;
        }
        String sentence = text.substring(from, end);
        return c.exceptions().stream().anyMatch(e -> e.matcher(sentence).find());
    }
}
