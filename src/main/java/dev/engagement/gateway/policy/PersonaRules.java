package dev.engagement.gateway.policy;

import java.util.ArrayList;

import dev.engagement.gateway.engagement.Reason;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persona constraints of the skill, each a list of checks with a penalty, from configuration:
 * <pre>
 * engagement.policy.persona.rule.professional = no-words(slang) 0.10, max-exclamations(1) 0.05, ...
 * engagement.policy.persona.conflicts = casual+professional 0.10
 * </pre>
 * Checks: {@code max-length(n)} (the platform's own counting), {@code max-sentences(n)},
 * {@code no-words(list)} (a list of the persona word file, matched like the sensitive lexicon),
 * {@code max-exclamations(n)}, {@code no-repeated-punctuation}, {@code max-emoji(n)},
 * {@code max-shouting(n)} (words of 4+ letters in capitals), {@code max-hashtags(n)},
 * {@code no-placeholders} (template leftovers such as {@code [name]} or <code>{{first_name}}</code>).
 * A constraint named neither by a rule nor in the known list is recorded as unknown, with a warning.
 */
public class PersonaRules {

    private static final Logger LOG = LoggerFactory.getLogger(PersonaRules.class);
    private static final Pattern CHECK = Pattern.compile("\\s*([a-z\\-]+)\\s*(?:\\(\\s*([^)]*?)\\s*\\))?\\s+([0-9]*\\.?[0-9]+)\\s*");
    private static final Pattern CONFLICT = Pattern.compile("\\s*([a-z_\\-]+)\\s*\\+\\s*([a-z_\\-]+)\\s+([0-9]*\\.?[0-9]+)\\s*");
    private static final Pattern REPEATED_PUNCTUATION = Pattern.compile("[!?]{2,}|\\.{4,}|[!?]\\s*[!?]");
    private static final Pattern SHOUTED_WORD = Pattern.compile("\\b\\p{Lu}{4,}\\b");
    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_])#[\\p{L}\\p{N}_]+");
    // Linear on hostile input ("{{{{...", "[insert[insert...", "....a"): a placeholder is short and holds no
    // bracket of its kind, and a run of sentence ends is only tried from its first character
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "\\{\\{[^{}]{0,100}}}|\\[(?:name|first[ _]?name|user(?:name)?|product|company|insert[^\\[\\]]{0,100})]|<(?:name|username)>",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SENTENCE_END = Pattern.compile("(?<![.!?])[.!?]++(?:\\s|$)");

    /** One check of one constraint. */
    public record Check(String constraint, String name, String argument, double penalty) {
        String rule() {
            return "persona." + constraint + "." + name;
        }
    }

    /** Two constraints that cannot both hold. */
    public record Conflict(String first, String second, double penalty) {
    }

    private final Map<String, List<Check>> rules;
    private final Set<String> knownWithoutChecks;
    private final List<Conflict> conflicts;
    private final SensitiveLexicon wordLists;

    public PersonaRules(Map<String, List<Check>> rules, Set<String> knownWithoutChecks, List<Conflict> conflicts,
                        SensitiveLexicon wordLists) {
        this.rules = Map.copyOf(rules);
        this.knownWithoutChecks = Set.copyOf(knownWithoutChecks);
        this.conflicts = List.copyOf(conflicts);
        this.wordLists = wordLists;
        for (List<Check> checks : rules.values()) {
            for (Check c : checks) {
                if (c.name().equals("no-words") && !wordLists.categoryNames().contains(c.argument())) {
                    throw new IllegalArgumentException("persona rule " + c.constraint() + ": no word list '" + c.argument()
                            + "' in the persona word file (lists: " + wordLists.categoryNames() + ")");
                }
            }
        }
    }

    /** Parses {@code check(arg) penalty, ...} for one constraint. */
    public static List<Check> parseChecks(String constraint, String text) {
        List<Check> out = new ArrayList<>();
        for (String part : text.split(",(?![^(]*\\))")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = CHECK.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("persona rule " + constraint + ": expected 'check(argument) penalty' but got '"
                        + part.trim() + "'");
            }
            String name = m.group(1);
            if (!List.of("max-length", "max-sentences", "no-words", "max-exclamations", "no-repeated-punctuation", "max-emoji",
                    "max-shouting", "max-hashtags", "no-placeholders").contains(name)) {
                throw new IllegalArgumentException("persona rule " + constraint + ": unknown check '" + name + "'");
            }
            out.add(new Check(constraint, name, m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3))));
        }
        return out;
    }

    /** Parses {@code a+b penalty, ...}. */
    public static List<Conflict> parseConflicts(String text) {
        List<Conflict> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = CONFLICT.matcher(part.toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("persona conflict: expected 'a+b penalty' but got '" + part.trim() + "'");
            }
            out.add(new Conflict(m.group(1), m.group(2), Double.parseDouble(m.group(3))));
        }
        return out;
    }

    public boolean isKnown(String constraint) {
        return rules.containsKey(constraint) || knownWithoutChecks.contains(constraint);
    }

    /**
     * The violations of the request's constraints by its content, as reasons; unknown constraints
     * are recorded (penalty 0) and logged. {@code length} counts like the platform does.
     */
    public List<Reason> violations(List<String> requested, String content, ToIntFunction<String> length) {
        Set<String> constraints = new LinkedHashSet<>();
        requested.forEach(c -> constraints.add(c.toLowerCase(Locale.ROOT).trim()));
        List<Reason> reasons = new ArrayList<>();
        // the word lists are searched once per content (only if a requested constraint has a no-words check)
        boolean wordChecks = content != null && !content.isBlank() && constraints.stream()
                .anyMatch(c -> rules.getOrDefault(c, List.of()).stream().anyMatch(check -> check.name().equals("no-words")));
        List<SensitiveLexicon.Match> words = wordChecks ? wordLists.find(content) : List.of();
        for (String c : constraints) {
            if (!isKnown(c)) {
                LOG.warn("Unknown persona constraint '{}' ignored (known: {} and {})", c, rules.keySet(), knownWithoutChecks);
                reasons.add(new Reason("persona.unknown", 0, "constraint '" + c + "' is not known and was ignored"));
                continue;
            }
            if (content == null || content.isBlank()) {
                continue;
            }
            for (Check check : rules.getOrDefault(c, List.of())) {
                String evidence = violation(check, content, length, words);
                if (evidence != null) {
                    reasons.add(new Reason(check.rule(), check.penalty(), evidence));
                }
            }
        }
        for (Conflict conflict : conflicts) {
            if (constraints.contains(conflict.first()) && constraints.contains(conflict.second())) {
                reasons.add(new Reason("persona.conflict", conflict.penalty(),
                        "'" + conflict.first() + "' and '" + conflict.second() + "' pull in opposite directions"));
            }
        }
        return reasons;
    }

    /** What shows the check is violated, or null when it holds. */
    private String violation(Check check, String content, ToIntFunction<String> length, List<SensitiveLexicon.Match> words) {
        String c = check.constraint();
        return switch (check.name()) {
            case "max-length" -> {
                int max = Integer.parseInt(check.argument());
                int n = length.applyAsInt(content);
                yield n > max ? "content is " + n + " characters; " + c + " means at most " + max : null;
            }
            case "max-sentences" -> {
                int max = Integer.parseInt(check.argument());
                int n = sentences(content);
                yield n > max ? "content has " + n + " sentences; " + c + " means at most " + max : null;
            }
            case "no-words" -> words.stream()
                    .filter(m -> m.category().equals(check.argument()))
                    .findFirst()
                    .map(m -> check.argument().replace('_', ' ') + " ('" + m.phrase() + "') does not fit " + c)
                    .orElse(null);
            case "max-exclamations" -> {
                int max = Integer.parseInt(check.argument());
                long n = content.chars().filter(ch -> ch == '!').count();
                yield n > max ? n + " exclamation marks; " + c + " allows " + max : null;
            }
            case "no-repeated-punctuation" -> {
                Matcher m = REPEATED_PUNCTUATION.matcher(content);
                yield m.find() ? "repeated punctuation '" + m.group() + "' does not fit " + c : null;
            }
            case "max-emoji" -> {
                int max = Integer.parseInt(check.argument());
                int n = emojiCount(content);
                yield n > max ? n + " emoji; " + c + " allows " + max : null;
            }
            case "max-shouting" -> {
                int max = check.argument().isEmpty() ? 0 : Integer.parseInt(check.argument());
                List<String> shouted = new ArrayList<>();
                Matcher m = SHOUTED_WORD.matcher(content);
                while (m.find()) {
                    shouted.add(m.group());
                }
                yield shouted.size() > max ? "words in capitals " + shouted + " read as shouting; " + c + " allows " + max : null;
            }
            case "max-hashtags" -> {
                int max = Integer.parseInt(check.argument());
                long n = HASHTAG.matcher(content).results().count();
                yield n > max ? n + " hashtags; " + c + " allows " + max : null;
            }
            case "no-placeholders" -> {
                Matcher m = PLACEHOLDER.matcher(content);
                yield m.find() ? "template placeholder '" + m.group() + "' left in the text" : null;
            }
            default -> null;
        };
    }

    static int sentences(String content) {
        int n = 0;
        Matcher m = SENTENCE_END.matcher(content.strip());
        int last = 0;
        while (m.find()) {
            n++;
            last = m.end();
        }
        // a trailing fragment counts as a sentence only if it has words (not a lone emoji or hashtag run)
        String rest = content.strip().substring(last);
        return rest.codePoints().anyMatch(Character::isLetter) ? n + 1 : n;
    }

    /** Pictographic code points (emoji), not counting joiners, variation selectors and skin tones. */
    static int emojiCount(String content) {
        int n = 0;
        int[] cps = content.codePoints().toArray();
        for (int cp : cps) {
            boolean modifier = cp == 0x200D || cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0x1F3FB && cp <= 0x1F3FF
                    || cp >= 0x1F1E6 && cp <= 0x1F1FF;
            boolean pictograph = cp >= 0x1F000 && cp <= 0x1FAFF || cp >= 0x2600 && cp <= 0x27BF
                    || cp >= 0x2B00 && cp <= 0x2BFF;
            if (pictograph && !modifier) {
                n++;
            }
        }
        return n;
    }

    public Set<String> constraintsWithRules() {
        return rules.keySet();
    }

    /** For logs: the configured rules. */
    public Map<String, List<Check>> rules() {
        return new LinkedHashMap<>(rules);
    }
}
