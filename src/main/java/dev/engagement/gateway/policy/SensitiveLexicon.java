package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * Sensitive words and phrases by category, from an editable text file:
 * <pre>
 * [legal]
 * lawsuit
 * cease and desist
 * </pre>
 * Text is read as {@link TextNormaliser} leaves it (NFKC, no invisible characters, look-alike letters of other
 * scripts folded), then word by word: digits and signs inside words read as the letters they stand for
 * ({@code sc@m}, {@code k1ll}, {@code sh!t}), masked words as the listed word they fit ({@code f***}, {@code sh*t}),
 * letters repeated three times or more as one or two ({@code stuuupid}, {@code killll}), words spelled out letter
 * by letter ({@code s c a m}, {@code f.r.a.u.d}) joined back. Words are compared by their English stem (Snowball,
 * from the Lucene analyzers already on the classpath), so "lawsuits", "suing" and "scammed" match "lawsuit",
 * "sue" and "scam"; a phrase matches whole words in a row, whatever punctuation stands between them. A header
 * may still carry {@code penalty=N} (the persona word lists and older files); the confidence policy takes the
 * penalties of the sensitive categories from its configuration.
 */
public class SensitiveLexicon {

    /** A category of sensitive content and how much it lowers confidence. */
    public record Category(String name, double penalty, List<List<String>> phrases) {
    }

    /** A category found in a text, with the phrase that showed it. */
    public record Match(String category, double penalty, String phrase) {
    }

    /** One phrase of a category: for each word, the stems of its inflections. */
    private record Entry(int category, List<Set<String>> stems, String phrase) {

        boolean matches(List<String> text, int from) {
            if (from + stems.size() > text.size()) {
                return false;
            }
            for (int j = 0; j < stems.size(); j++) {
                if (!stems.get(j).contains(text.get(from + j))) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Pattern HEADER = Pattern.compile("\\[\\s*([a-z0-9_\\-]+)\\s*(?:penalty\\s*=\\s*([0-9.]+))?\\s*]");
    /**
     * A short word elided before a vowel or an h, as French and Italian write them ("l'avortement", "d'argent",
     * "dell'immigrazione"): two words, as the lexicon lists them. English contractions keep their one word: the
     * apostrophe stands before a consonant there ("don't", "we'll", "that's").
     */
    private static final Pattern ELISION = Pattern.compile("^(\\p{L}{1,5})'(?=[aeiouyh])");
    private static final Pattern WORD_SPLIT = Pattern.compile("[^\\p{L}\\p{N}'*#]+");
    /** letters, then the mask, then maybe letters: f***, sh*t, f#ck (not *sigh* or #hashtag) */
    private static final Pattern MASKED = Pattern.compile("\\p{L}+[*#]+\\p{L}*");
    private static final Pattern TRIPLED = Pattern.compile("(\\p{L})\\1{2,}");
    private static final List<String> MASK_ENDINGS = List.of("", "s", "es", "ed", "er", "ers", "ing", "in", "y");
    private static final ThreadLocal<EnglishStemmer> STEMMER = ThreadLocal.withInitial(EnglishStemmer::new);

    private final List<Category> categories;
    /** phrases by the stem of their first word, so a text is scanned once whatever the lexicon's size */
    private final Map<String, List<Entry>> byFirstStem = new HashMap<>();
    /** single listed words by length, the candidates a masked word may stand for */
    private final Map<Integer, List<String>> maskable = new HashMap<>();

    public SensitiveLexicon(List<Category> categories) {
        this.categories = List.copyOf(categories);
        for (int c = 0; c < this.categories.size(); c++) {
            for (List<String> phrase : this.categories.get(c).phrases()) {
                List<Set<String>> stems = phrase.stream().map(SensitiveLexicon::inflectionStems).toList();
                Entry entry = new Entry(c, stems, String.join(" ", phrase));
                for (String first : stems.get(0)) {
                    byFirstStem.computeIfAbsent(first, k -> new ArrayList<>()).add(entry);
                }
                if (phrase.size() == 1) {
                    maskable.computeIfAbsent(phrase.get(0).length(), k -> new ArrayList<>()).add(phrase.get(0));
                }
            }
        }
    }

    public static SensitiveLexicon load(InputStream in, String source) {
        Map<String, Double> penalties = new LinkedHashMap<>();
        Map<String, List<List<String>>> phrases = new LinkedHashMap<>();
        String current = null;
        for (PolicyFile.Line line : PolicyFile.lines(in, source)) {
            Matcher h = HEADER.matcher(line.text().toLowerCase(Locale.ROOT));
            if (h.matches()) {
                current = h.group(1);
                penalties.put(current, h.group(2) == null ? 0.2 : Double.parseDouble(h.group(2)));
                phrases.computeIfAbsent(current, k -> new ArrayList<>());
                continue;
            }
            if (current == null) {
                throw new IllegalArgumentException(line.where() + ": a phrase before any [category] header");
            }
            List<String> words = plainWords(TextNormaliser.normalise(line.text()).text());
            if (!words.isEmpty()) {
                phrases.get(current).add(words);
            }
        }
        List<Category> out = new ArrayList<>();
        penalties.forEach((name, penalty) -> out.add(new Category(name, penalty, List.copyOf(phrases.get(name)))));
        return new SensitiveLexicon(out);
    }

    /** The first match of each category found in the text, in the file's order of categories. */
    public List<Match> find(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return find(readings(TextNormaliser.normalise(text).text()));
    }

    /** The first match of each category in any of the readings (lists of stems) of a text. */
    List<Match> find(List<List<String>> readings) {
        Entry[] first = new Entry[categories.size()];
        for (List<String> stems : readings) {
            for (int i = 0; i < stems.size(); i++) {
                List<Entry> candidates = byFirstStem.get(stems.get(i));
                if (candidates == null) {
                    continue;
                }
                for (Entry e : candidates) {
                    if (first[e.category()] == null && e.matches(stems, i)) {
                        first[e.category()] = e;
                    }
                }
            }
        }
        List<Match> found = new ArrayList<>();
        for (int c = 0; c < first.length; c++) {
            if (first[c] != null) {
                Category category = categories.get(c);
                found.add(new Match(category.name(), category.penalty(), first[c].phrase()));
            }
        }
        return found;
    }

    /**
     * The ways a normalised text may be read, as lists of stems: as written, with spelled-out letters joined
     * (also when a real one-letter word stands next to them: "a s c a m"; when a fragment of two letters leads
     * them: "sh-i-t"; and when the letters spell several words: "f u c k y o u" reads "fuck you" where "fuck" is
     * listed), and with tripled letters collapsed.
     */
    List<List<String>> readings(String normalised) {
        List<String> words = unmask(plainWords(normalised));
        Set<List<String>> readings = new LinkedHashSet<>();
        readings.add(words);
        for (int head = 0; head <= 1; head++) {
            for (int tail = 0; tail <= 1; tail++) {
                readings.add(splitAtListedWords(joinSpelledOut(words, head, tail), words));
            }
        }
        readings.add(joinLedSpelling(words));
        if (words.stream().anyMatch(w -> TRIPLED.matcher(w).find())) {
            for (List<String> r : List.copyOf(readings)) {
                readings.add(r.stream().map(w -> TRIPLED.matcher(w).replaceAll("$1")).toList());
                readings.add(r.stream().map(w -> TRIPLED.matcher(w).replaceAll("$1$1")).toList());
            }
        }
        List<List<String>> stemmed = new ArrayList<>(readings.size());
        for (List<String> r : readings) {
            stemmed.add(r.stream().map(SensitiveLexicon::stem).toList());
        }
        return stemmed;
    }

    /** The words of a normalised text as the checks read them (masks undone), joined by single spaces. */
    String wordLine(String normalised) {
        return String.join(" ", unmask(plainWords(normalised)));
    }

    /** A masked word becomes the listed word of its length it fits (f*** and f**k: fuck); other marks go. */
    private List<String> unmask(List<String> words) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            if (w.indexOf('*') < 0 && w.indexOf('#') < 0) {
                out.add(w);
                continue;
            }
            String bare = w.replace("*", "").replace("#", "");
            String fit = MASKED.matcher(w).matches() ? fitMasked(w) : null;
            if (fit != null) {
                out.add(fit);
            } else if (!bare.isEmpty()) {
                out.add(bare);
            }
        }
        return out;
    }

    /** The listed word a masked word fits, also with an ending of its own (f**kers, motherf***ing). */
    private String fitMasked(String masked) {
        for (String ending : MASK_ENDINGS) {
            if (masked.length() > ending.length() + 1 && masked.endsWith(ending)) {
                String fit = fitMaskedWhole(masked.substring(0, masked.length() - ending.length()));
                if (fit != null) {
                    return fit + ending;
                }
            }
        }
        return null;
    }

    private String fitMaskedWhole(String masked) {
        for (String candidate : maskable.getOrDefault(masked.length(), List.of())) {
            boolean fits = true;
            for (int i = 0; i < masked.length() && fits; i++) {
                char m = masked.charAt(i);
                fits = m == '*' || m == '#' || m == candidate.charAt(i);
            }
            if (fits) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The stems of a listed word's regular inflections: the stemmer alone does not always bring them together
     * (Snowball stems "sue" to "sue" but "sued" and "suing" to "su", {@link #stem} to "su~").
     */
    static Set<String> inflectionStems(String word) {
        if (word.length() < 3) {
            // "u" is not the stem of "us", nor "ur" of "urs"
            return Set.of(stem(word));
        }
        String base = word.endsWith("e") ? word.substring(0, word.length() - 1) : word;
        Set<String> stems = new HashSet<>();
        for (String form : List.of(word, word + "s", word + "es", base + "ed", base + "ing", base + "er", base + "ers")) {
            stems.add(stem(form));
        }
        // the stemmer gives "spiced" and "spices" the stem "spice": an inflection of the slur "spic" it is not
        stems.remove(word + "e");
        return Set.copyOf(stems);
    }

    /**
     * A word's English stem; a stem under three letters cut from a longer word is marked ("sued" and "suing" read
     * "su~"), so that it does not meet the short word it spells in another language (Spanish and Italian "su").
     */
    static String stem(String word) {
        EnglishStemmer stemmer = STEMMER.get();
        stemmer.setCurrent(word);
        stemmer.stem();
        String stem = stemmer.getCurrent();
        return stem.length() < 3 && !stem.equals(word) ? stem + "~" : stem;
    }

    public List<String> categoryNames() {
        return categories.stream().map(Category::name).toList();
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

    /**
     * A fragment of one or two letters followed by two or more one-letter words is one word: "sh-i-t" (split
     * into "sh", "i", "t") reads "shit".
     */
    static List<String> joinLedSpelling(List<String> words) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < words.size()) {
            int j = i + 1;
            while (j < words.size() && words.get(j).length() == 1) {
                j++;
            }
            if (words.get(i).length() <= 2 && j - i - 1 >= 2) {
                out.add(String.join("", words.subList(i, j)));
                i = j;
            } else {
                out.add(words.get(i++));
            }
        }
        return out;
    }

    /**
     * A word joined from spelled-out letters ("fuckyou", not in {@code written}) that starts with a listed single
     * word and goes on is read as that word and the rest; the longest listed start of at least four letters wins.
     * Words as written are never cut ("killer" stays "killer").
     */
    private List<String> splitAtListedWords(List<String> words, List<String> written) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) {
            if (written.contains(w)) {
                out.add(w);
                continue;
            }
            String start = null;
            for (int n = w.length() - 1; n >= 4 && start == null; n--) {
                List<String> listed = maskable.get(n);
                if (listed != null && listed.contains(w.substring(0, n))) {
                    start = w.substring(0, n);
                }
            }
            if (start == null) {
                out.add(w);
            } else {
                out.add(start);
                out.add(w.substring(start.length()));
            }
        }
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

    /** Splits a normalised text into words, reading digits and signs inside words as letters. */
    static List<String> plainWords(String folded) {
        StringBuilder sb = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char ch = folded.charAt(i);
            boolean before = letterNear(folded, i, -1);
            boolean after = letterNear(folded, i, 1);
            // "sh!t" but not "great!", "sc@m" but not "@anna": those two signs count only inside a word
            boolean inWord = switch (ch) {
                case '!' -> before && after;
                case '@' -> before;
                default -> before || after;
            };
            sb.append(inWord ? swap(ch) : ch);
        }
        List<String> out = new ArrayList<>();
        for (String w : WORD_SPLIT.split(sb)) {
            Matcher elided = ELISION.matcher(w);
            if (elided.find()) {
                out.add(elided.group(1));
                w = w.substring(elided.end());
            }
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
