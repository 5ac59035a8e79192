package dev.engagement.gateway.policy;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.ibm.icu.text.SpoofChecker;

/**
 * Undoes the usual ways of slipping a word past a check, before any check runs: Unicode NFKC (full-width and
 * mathematical letters become plain ones), invisible and format characters removed (zero-width spaces and
 * joiners inside words, soft hyphens, bidi controls), letters from other scripts that look Latin folded to their
 * Latin skeleton (ICU's confusables data through {@link SpoofChecker}: Cyrillic "а", Greek "ο"), accents dropped,
 * lower case, and the apostrophe's look-alikes written as one ("don’t", as phones type it, is "don't"). ASCII is
 * left to the skeleton-free path on purpose: the skeleton of "rn" is "m", of "l" is "I".
 */
public final class TextNormaliser {

    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
    /** Skeletons of the non-ASCII letters seen so far: a handful of scripts in practice, computed once each. */
    private static final Map<Integer, String> SKELETONS = new ConcurrentHashMap<>();
    /** Characters written for an apostrophe: ’ ‘ ‛ ʼ ′ ´ `. */
    private static final String APOSTROPHES = "\u2019\u2018\u201B\u02BC\u2032\u00B4\u0060";

    private TextNormaliser() {
    }

    /** The text as the checks read it, plus what was hidden in it. */
    public record Normalised(String text, List<String> hidden) {
    }

    /** Normalises a text (null reads as empty). */
    public static Normalised normalise(String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Normalised("", List.of());
        }
        // before NFKC, which would turn an acute accent used as an apostrophe into a space and a mark
        String nfkc = Normalizer.normalize(straightApostrophes(raw), Normalizer.Form.NFKC);
        List<String> hidden = new ArrayList<>();
        StringBuilder sb = new StringBuilder(nfkc.length());
        for (int i = 0; i < nfkc.length(); ) {
            int cp = nfkc.codePointAt(i);
            int len = Character.charCount(cp);
            if (isHiding(cp) && cp == 0xFEFF && i == 0) {
                i += len;
                continue;
            }
            if (isHiding(cp)) {
                // a joiner between two emoji builds one emoji (👩‍💻); between letters it only hides a word
                if (!(cp == 0x200D && !letterAround(nfkc, i, len))) {
                    hidden.add(String.format(Locale.ROOT, "U+%04X", cp));
                }
            } else if (Character.getType(cp) == Character.NON_SPACING_MARK || Character.getType(cp) == Character.ENCLOSING_MARK) {
                // marks left after NFKC stack on a letter (z̷a̷l̷g̷o̷) or select an emoji's look: never part of a word
                i += len;
                continue;
            } else if (cp < 0x80) {
                sb.append((char) Character.toLowerCase(cp));
            } else if (Character.isLetter(cp)) {
                sb.append(SKELETONS.computeIfAbsent(cp, TextNormaliser::latinSkeleton));
            } else {
                sb.appendCodePoint(cp);
            }
            i += len;
        }
        return new Normalised(sb.toString(), List.copyOf(hidden));
    }

    /**
     * The typographic apostrophe (’, which phones and word processors type), its left twin, the modifier letter, the
     * prime, the acute and the grave accents as "'": every rule with an apostrophe ("don'?t", "that'?s") reads them.
     */
    static String straightApostrophes(String raw) {
        StringBuilder sb = null;
        for (int i = 0; i < raw.length(); i++) {
            if (APOSTROPHES.indexOf(raw.charAt(i)) >= 0) {
                if (sb == null) {
                    sb = new StringBuilder(raw);
                }
                sb.setCharAt(i, '\'');
            }
        }
        return sb == null ? raw : sb.toString();
    }

    /**
     * A pattern's or a lexicon entry's own non-ASCII letters folded as {@link #normalise} folds a text's ("contraseña"
     * is read as "contrasena"), everything else left as written: a pattern with an accent would otherwise never match.
     */
    public static String foldLetters(String written) {
        StringBuilder sb = new StringBuilder(written.length());
        written.codePoints().forEach(cp -> {
            if (cp >= 0x80 && Character.isLetter(cp)) {
                sb.append(SKELETONS.computeIfAbsent(cp, TextNormaliser::latinSkeleton));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** The text as a reviewer should see it: every invisible or format character shown as its code point. */
    public static String neutralised(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(raw.length());
        raw.codePoints().forEach(cp -> {
            if (isHiding(cp)) {
                sb.append(String.format(Locale.ROOT, "<U+%04X>", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** Format characters (Cf: zero-width, soft hyphen, bidi controls, word joiner) and the invisible fillers. */
    static boolean isHiding(int cp) {
        return Character.getType(cp) == Character.FORMAT || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || cp == 0x034F;
    }

    private static boolean letterAround(String s, int i, int len) {
        return (i > 0 && Character.isLetterOrDigit(s.codePointBefore(i)))
                || (i + len < s.length() && Character.isLetterOrDigit(s.codePointAt(i + len)));
    }

    /**
     * The Latin skeleton of one letter, without its accents, in lower case; letters with no Latin look-alike stay.
     * The letter is put in lower case first: the skeleton of "Í" is "l" (a capital I looks like an l), of "í" is "i".
     */
    private static String latinSkeleton(int upperOrLower) {
        int cp = Character.toLowerCase(upperOrLower);
        String skeleton = SPOOF.getSkeleton(new String(Character.toChars(cp)));
        String bare = Normalizer.normalize(skeleton, Normalizer.Form.NFD).replaceAll("\\p{M}+", "").toLowerCase(Locale.ROOT);
        boolean latin = !bare.isEmpty() && bare.chars().allMatch(c -> c < 0x80);
        if (latin) {
            return bare;
        }
        String own = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return own.toLowerCase(Locale.ROOT);
    }
}
