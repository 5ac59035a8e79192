package dev.engagement.gateway.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sensitive words and phrases by category, from an editable text file:
 * <pre>
 * [legal penalty=0.15]
 * lawsuit
 * cease and desist
 * </pre>
 * Text is matched word by word after folding case, accents and common character swaps
 * ({@code sc@m}, {@code fr4ud}), so a phrase matches only whole words. Words spelled out letter by
 * letter ({@code s c a m}, {@code f.r.a.u.d}, {@code s-c-a-m}) are joined back before matching.
 */
public class SensitiveLexicon {

    /** A category of sensitive content and how much it lowers confidence. */
    public record Category(String name, double penalty, List<List<String>> phrases) {
    }

    /** A category found in a text, with the phrase that showed it. */
    public record Match(String category, double penalty, String phrase) {
    }

    private static final Pattern HEADER = Pattern.compile("\\[\\s*([a-z0-9_\\-]+)\\s*(?:penalty\\s*=\\s*([0-9.]+))?\\s*]");

    private final List<Category> categories;

    public SensitiveLexicon(List<Category> categories) {
        this.categories = List.copyOf(categories);
    }

    public static SensitiveLexicon load(InputStream in, String source) {
        Map<String, Double> penalties = new LinkedHashMap<>();
        Map<String, List<List<String>>> phrases = new LinkedHashMap<>();
        String current = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Matcher h = HEADER.matcher(t.toLowerCase(Locale.ROOT));
                if (h.matches()) {
                    current = h.group(1);
                    penalties.put(current, h.group(2) == null ? 0.2 : Double.parseDouble(h.group(2)));
                    phrases.computeIfAbsent(current, k -> new ArrayList<>());
                    continue;
                }
                if (current == null) {
                    throw new IllegalArgumentException(source + ":" + n + ": a phrase before any [category] header");
                }
                List<String> words = words(t);
                if (!words.isEmpty()) {
                    phrases.get(current).add(words);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read lexicon " + source, e);
        }
        List<Category> out = new ArrayList<>();
        penalties.forEach((name, penalty) -> out.add(new Category(name, penalty, List.copyOf(phrases.get(name)))));
        return new SensitiveLexicon(out);
    }

    /** The first match of each category found in the text. */
    public List<Match> find(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> words = words(text);
        List<List<String>> readings = new ArrayList<>();
        readings.add(words);
        // spelled-out words, also when a real one-letter word stands next to them ("a s c a m", "s c a m i saw")
        for (int head = 0; head <= 1; head++) {
            for (int tail = 0; tail <= 1; tail++) {
                List<String> joined = joinSpelledOut(words, head, tail);
                if (!readings.contains(joined)) {
                    readings.add(joined);
                }
            }
        }
        List<Match> found = new ArrayList<>();
        for (Category c : categories) {
            readings.stream().map(r -> firstPhrase(c, r)).flatMap(Optional::stream).findFirst()
                    .ifPresent(p -> found.add(new Match(c.name(), c.penalty(), String.join(" ", p))));
        }
        return found;
    }

    public List<String> categoryNames() {
        return categories.stream().map(Category::name).toList();
    }

    private static Optional<List<String>> firstPhrase(Category c, List<String> words) {
        for (List<String> phrase : c.phrases()) {
            for (int i = 0; i + phrase.size() <= words.size(); i++) {
                if (words.subList(i, i + phrase.size()).equals(phrase)) {
                    return Optional.of(phrase);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Runs of three or more one-letter words become one word ("s c a m" reads "scam"), leaving the
     * first {@code head} and last {@code tail} letters of each run as words of their own.
     */
    static List<String> joinSpelledOut(List<String> words, int head, int tail) {
        List<String> out = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (String w : words) {
            if (w.length() == 1) {
                run.add(w);
                continue;
            }
            flush(out, run, head, tail);
            out.add(w);
        }
        flush(out, run, head, tail);
        return out;
    }

    private static void flush(List<String> out, List<String> run, int head, int tail) {
        if (run.size() - head - tail >= 3) {
            out.addAll(run.subList(0, head));
            out.add(String.join("", run.subList(head, run.size() - tail)));
            out.addAll(run.subList(run.size() - tail, run.size()));
        } else {
            out.addAll(run);
        }
        run.clear();
    }

    /** Folds case, accents and look-alike characters, then splits into words. */
    static List<String> words(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char ch = folded.charAt(i);
            boolean inWord = letterNear(folded, i, -1) || letterNear(folded, i, 1);
            sb.append(inWord ? swap(ch) : ch);
        }
        List<String> out = new ArrayList<>();
        for (String w : sb.toString().split("[^\\p{L}\\p{N}']+")) {
            String t = w.replace("'", "");
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** A letter next to position i, or one separator (space . - _) further when spelled out: "s c @ m". */
    private static boolean letterNear(String s, int i, int step) {
        int j = i + step;
        if (j < 0 || j >= s.length()) {
            return false;
        }
        if (Character.isLetter(s.charAt(j))) {
            return true;
        }
        int k = j + step;
        return " .-_".indexOf(s.charAt(j)) >= 0 && k >= 0 && k < s.length() && Character.isLetter(s.charAt(k))
                && (k + step < 0 || k + step >= s.length() || !Character.isLetter(s.charAt(k + step)));
    }

    private static char swap(char ch) {
        return switch (ch) {
            case '@', '4' -> 'a';
            case '3' -> 'e';
            case '1', '!' -> 'i';
            case '0' -> 'o';
            case '$', '5' -> 's';
            case '7' -> 't';
            default -> ch;
        };
    }
}
