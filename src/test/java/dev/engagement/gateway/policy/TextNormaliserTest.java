package dev.engagement.gateway.policy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextNormaliserTest {

    private static String text(String raw) {
        return TextNormaliser.normalise(raw).text();
    }

    @Test
    void invisibleCharactersInsideWordsAreRemovedAndReported() {
        TextNormaliser.Normalised n = TextNormaliser.normalise("law\u200Bsuits and i\u00ADdiot and cl\u2060ick");
        assertEquals("lawsuits and idiot and click", n.text());
        assertEquals(List.of("U+200B", "U+00AD", "U+2060"), n.hidden());
    }

    @Test
    void bidiControlsAreRemovedAndShownNeutralisedToReviewers() {
        String raw = "\u202EI know where you live\u202C";
        assertEquals("i know where you live", text(raw));
        assertEquals("<U+202E>I know where you live<U+202C>", TextNormaliser.neutralised(raw));
    }

    @Test
    void lettersOfOtherScriptsThatLookLatinAreFoldedToTheirSkeleton() {
        // Cyrillic а, е, о, ѕ and Greek ο in otherwise Latin words
        assertEquals("claim your prize, you are a loser", text("Cl\u0430im your priz\u0435, you \u0430re \u0430 l\u043e\u0455er"));
        // capitals lose their accents as small letters do: the skeleton of a capital I with an accent is an l
        assertEquals("envia tu contrasena, ete", text("ENVÍA tu CONTRASEÑA, ÉTÉ"));
        assertEquals("scam", text("sc\u03B1m"));
    }

    @Test
    void fullWidthAndMathematicalLettersBecomePlainOnes() {
        assertEquals("fuck this", text("\uFF26\uFF55\uFF43\uFF4B this"));
        assertEquals("scam", text("\uD835\uDC2C\uD835\uDC1C\uD835\uDC1A\uD835\uDC26"));
    }

    @Test
    void accentsAndStackedMarksGoButAsciiIsLeftAlone() {
        assertEquals("lawsuit", text("lawsüit"));
        assertEquals("zalgo", text("z\u0337a\u0337l\u0337g\u0337o\u0337"));
        // the skeleton of "rn" is "m" and of "l" is "I": plain ASCII must not go through it
        assertEquals("learn to burn", text("Learn to burn"));
    }

    @Test
    void emojiJoinersAndTheByteOrderMarkAreNotAnEvasion() {
        TextNormaliser.Normalised n = TextNormaliser.normalise("\uFEFFOur dev team \uD83D\uDC69\u200D\uD83D\uDCBB ships today \u2764\uFE0F");
        assertTrue(n.hidden().isEmpty(), n.hidden().toString());
    }
}
