package dev.engagement.gateway.policy;

import java.io.InputStream;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensitivePatternsTest {

    /** The worst inputs for a regular expression: long runs of one sign, of separators, of one word. */
    private static final List<String> HOSTILE = List.of(
            "{".repeat(100_000),
            ".".repeat(100_000),
            "word ".repeat(20_000),
            "you ".repeat(25_000),
            "@a ".repeat(33_000),
            "a".repeat(100_000),
            "1.".repeat(50_000),
            "!*".repeat(50_000),
            "http://".repeat(14_000),
            "send your ".repeat(10_000));

    /** A text that throws when read after its deadline: a regular expression cannot be interrupted otherwise. */
    private record Deadline(String text, long deadlineNanos) implements CharSequence {

        static final class Passed extends RuntimeException {
            Passed() {
                super(null, null, false, false);
            }
        }

        @Override
        public char charAt(int index) {
            if ((index & 0xFFF) == 0 && System.nanoTime() > deadlineNanos) {
                throw new Passed();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private static SensitivePatterns shipped() throws Exception {
        try (InputStream in = SensitivePatterns.class.getResourceAsStream("/policy/sensitive-patterns.txt")) {
            return SensitivePatterns.load(in, "shipped");
        }
    }

    /** What the shipped lexicon and patterns together find in a text (the model aside). */
    private static List<String> categories(SensitiveContent rules, String text) {
        return rules.find(text, false).stream().map(SensitiveContent.Finding::category).toList();
    }

    private static List<String> categories(SensitivePatterns patterns, String text) {
        String normalised = TextNormaliser.normalise(text).text();
        return patterns.find(normalised, normalised).stream().map(SensitivePatterns.Match::category).toList();
    }

    @Test
    void everyPatternGetsThroughAHundredKilobytesOfHostileTextQuickly() throws Exception {
        List<Pattern> all = shipped().allPatterns();
        assertTrue(all.size() > 50, "the shipped file has its patterns");
        long started = System.nanoTime();
        for (Pattern p : all) {
            for (String input : HOSTILE) {
                // linear patterns take a few milliseconds here; catastrophic backtracking would take hours, so the
                // text itself stops the matcher after two seconds
                Matcher m = p.matcher(new Deadline(input, System.nanoTime() + 2_000_000_000L));
                try {
                    while (m.find()) {
                        // every match, as a scan for the first one that is not an exception may take them all
                    }
                } catch (Deadline.Passed e) {
                    throw new AssertionError("pattern " + p + " took over 2 s on " + input.substring(0, 12) + "...");
                }
            }
        }
        long total = (System.nanoTime() - started) / 1_000_000;
        assertTrue(total < 60_000, "all patterns on all hostile inputs took " + total + " ms");
    }

    @Test
    void eachCategoryHasPatternsForWhatWordsCannotSay() throws Exception {
        SensitivePatterns p = shipped();
        assertEquals(List.of("credentials"), categories(p, "DM me your credit card number for a refund"));
        assertEquals(List.of("credentials"), categories(p, "Reply with the 6-digit code we texted you, your one time code please"));
        assertEquals(List.of("phishing"), categories(p, "Click here to verify your account: bit.ly/x"));
        assertEquals(List.of("phishing"), categories(p, "update at http://185.22.14.9/upgrade"));
        assertEquals(List.of("financial"), categories(p, "Guaranteed 10x profit, invest now"));
        assertEquals(List.of("legal"), categories(p, "Our lawyers will file lawsuits against you"));
        assertEquals(List.of("violence"), categories(p, "I know where you live"));
        assertEquals(List.of("self_harm"), categories(p, "nobody would miss you if you were gone"));
        assertEquals(List.of("spam"), categories(p, "@a1 @b2 @c3 @d4 @e5 look"));
        assertEquals(List.of("abuse"), categories(p, "send the illegals back"));
        assertEquals(List.of("crisis"), categories(p, "Were you hacked? Our accounts were hacked last night"));
        assertEquals(List.of("profanity"), categories(p, "ends Sunday. don't f-ing miss it lol"));
        assertEquals(List.of("contempt"), categories(p, "Must be nice to have 45 minutes to spare. Some of us are working."));
        assertEquals(List.of("crisis"), categories(p, "There was a shooting at your Denver store today"));
        assertEquals(List.of("crisis"), categories(p, "Your product exploded and burned my hand. I want answers."));
        assertEquals(List.of("phishing"), categories(p, "re-verify at h t t p s : / / secure-login-meta . com / verify"));
    }

    @Test
    void aPostThatConfidesADeathALossOrHarmIsReadAndTheEverydayWordsAreNot() throws Exception {
        SensitivePatterns p = shipped();
        for (String grief : List.of("My dad passed away last night wearing the watch you made", "Hoy falleció mi madre.",
                "Mein Vater ist gestern bei einem Unfall gestorben.", "Meu pai morreu no acidente de ontem",
                "Ma mère est décédée dimanche", "Our dog died this morning, she loved your driver", "Mein Hund ist gestorben",
                "We spent the night in the ER after your nut-free bar", "my son is still in hospital after the go-karts",
                "Il mio bambino è in ospedale dopo la gita", "Miscarried today. We were going to announce it on stream.",
                "My coach touches me in ways that make me uncomfortable", "he makes me keep secrets about it")) {
            assertEquals(List.of("crisis"), categories(p, grief), grief);
        }
        assertEquals(List.of("self_harm"), categories(p, "been cutting again, sorry for the random post"));
        for (String everyday : List.of("my phone died halfway through the match", "my daughter passed her driving test!",
                "my boss hit me up about the role", "my husband beat me at chess again", "cutting the cake at 3pm",
                "my grandma's recipe never dies", "we raised $2,400 for the children's hospital!")) {
            assertEquals(List.of(), categories(p, everyday), everyday);
        }
    }

    @Test
    void aPatternWrittenWithAccentsMatchesTheNormalisedText() {
        // the checks read "contraseña" as "contrasena": the pattern's own letters are folded the same way when loaded
        SensitivePatterns p = SensitivePatterns.load(new java.io.ByteArrayInputStream(
                "[credentials]\n\\b(envía|mándanos)\\b[^.!?\\n]{0,30}\\bcontraseña\\b\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "test");
        assertEquals(List.of("credentials"), categories(p, "Mándanos por DM tu contraseña y lo arreglamos"));
        assertEquals(List.of("credentials"), categories(p, "ENVÍA tu CONTRASEÑA"));
    }

    @Test
    void requestsAndThreatsInTheOtherLanguagesCustomersWriteIn() throws Exception {
        SensitivePatterns p = shipped();
        assertEquals(List.of("credentials"), categories(p, "Envoie-nous en MP ton numéro de carte et le cryptogramme"));
        assertEquals(List.of("credentials"), categories(p, "Schick uns deine Kartennummer per DM"));
        assertEquals(List.of(), categories(p, "Nous ne vous demanderons jamais votre mot de passe"));
        assertEquals(List.of("phishing"), categories(p, "Acesse aerovia-suporte.com.br e confirme seus dados em até 12 horas"));
        assertEquals(List.of("violence"), categories(p, "Sag das nochmal und wir warten nach Feierabend vor deiner Tür auf dich"));
        assertEquals(List.of("violence"), categories(p, "Sigue así y alguien te va a estar esperando a la salida del trabajo"));
    }

    @Test
    void condescensionAimedAtThePersonAnsweredIsContempt() throws Exception {
        SensitivePatterns p = shipped();
        for (String putDown : List.of("It's literally in the FAQ. But sure, we'll spell it out again.",
                "For the 20th time: no, the sale does not include gift cards.", "Reading helps. It's in our bio.",
                "It's called a budget airline for a reason.", "Sounds like a you problem.",
                "Asking every day won't make it ship faster.", "Imagine complaining about free shipping.",
                "Cool story. We'll add it to the pile.", "Works fine for everyone else.", "You're welcome. Bye.",
                "No, we don't know when it restocks. Please stop asking.", "That's your choice. The cancel button is under Account.",
                "Pues espera otra semana, no eres el único cliente.",
                "Porque no eres nuestro único cliente, aunque parezca que lo crees.",
                "Non. Comme c'est écrit partout.")) {
            assertEquals(List.of("contempt"), categories(p, putDown), putDown);
        }
        for (String kind : List.of("Never stop asking questions!", "Blue or red? It's your choice!",
                "Don't stop asking for what you need.",
                "You're welcome! See you Saturday", "It works fine for everyone, even on older phones.")) {
            assertEquals(List.of(), categories(p, kind), kind);
        }
    }

    @Test
    void insultsAndTellingSomeoneToDieAreReadInFiveMoreLanguages() throws Exception {
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), List.of("abuse"), "Je te déteste, sérieusement.", "Cállate ya, nadie te preguntó.", "Eres una escoria, no vuelvas.",
                "Ich hasse dich und deine Bewertungen.", "Sei patetico, stai zitto.", "Qué patético eres.", "Cala a boca, fracassado.");
        assertRead(t -> categories(rules, t), "self_harm", List.of("Alors tue-toi, ça ira plus vite.", "Pues mátate.",
                "Geh sterben.", "Fallo pure, non mancherai a nessuno.", "Niemand wird dich vermissen.",
                "Ninguém vai sentir sua falta."),
                List.of("On adore cette chanson !",
                "Te echamos de menos en la tienda!", "Ci mancherai tantissimo, buon viaggio!", "Wir vermissen dich schon jetzt!",
                "Vamos sentir sua falta, boa sorte!"));
    }

    @Test
    void promisedReturnsAreReadInFiveMoreLanguages() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), "financial", List.of("Notre plan offre des gains garantis chaque semaine.",
                "Doble su dinero en tres meses con nuestro club.", "Investi ora, i posti sono pochi!",
                "Kaufen Sie jetzt die Aktie, sie wird sich verdoppeln.", "Lucro garantido de 8% ao mês."),
                List.of("Satisfait ou remboursé, c'est garanti !", "Garantía de dos años en todos los productos.",
                "Il nostro team raddoppierà entro l'estate.", "Die Lieferung ist garantiert bis Freitag da.",
                "Compre agora e receba amanhã."));
    }

    @Test
    void medicalAdviceIsReadInFiveMoreLanguages() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), "medical", List.of("Notre tisane guérit le diabète, promis.",
                "Deja tus pastillas y prueba el jengibre.", "Smetti gli antibiotici, basta il miele.",
                "Setzen Sie die Tabletten einfach ab.", "Pare de tomar os remédios e beba nosso chá.",
                "Prenez 3 ibuprofène et ça passe.", "C'est naturel, donc sans danger pendant la grossesse.",
                "Trink einen Schluck Chlorbleiche mit Wasser."),
                List.of("No tenemos stock de ibuprofeno ahora mismo.", "La crème est naturelle et vegan.",
                "Deja tus datos y te llamamos.", "Das Paket ist natürlich schon unterwegs.", "Bebe agua y descansa, ¡ánimo!",
                "Natürlich ist das sicher verpackt.", "Esto lo resuelve en un minuto."));
    }

    @Test
    void governmentAbortionImmigrationAndElectionsAreReadInFiveMoreLanguages() throws Exception {
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), "politics", List.of("Apoyamos al gobierno en esto, sin dudas.",
                "Notre avis sur l'avortement ? Il est simple.", "Wir stehen hinter der Bundesregierung.",
                "Finalmente una legge seria sull'immigrazione!", "Nas eleições, votem com a cabeça."),
                List.of("Sie können zwischen drei Farben wählen.", "¡Gracias por elegirnos!"));
    }

    @Test
    void aTypographicApostropheReadsAsAnApostrophe() throws Exception {
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        // as phones type them (’), and the look-alikes written for one
        assertRead(t -> categories(rules, t), List.of("contempt"), "That’s your choice.", "Don’t get your hopes up",
                "You’re welcome. Bye.", "It´s literally in the FAQ. But sure, we´ll spell it out again.", "Thatʼs your choice.");
        // French and Italian elide a short word before a vowel: the word after it is read on its own
        assertRead(t -> categories(rules, t), List.of("scam"), "C’est une arnaque, clairement.", "Ton offre, c'est de l'arnaque.");
    }

    @Test
    void condescensionIsReadInFiveMoreLanguages() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), "contempt", List.of("Apprends à lire, c'est marqué en gros.", "Google es gratis, eh.",
                "Hai almeno letto la descrizione?", "Das ist dein Problem, nicht unseres.", "O problema é seu, não nosso.",
                "C'est à prendre ou à laisser.", "Luxusprobleme, ehrlich."),
                List.of("Cuéntanos cuál es tu problema y lo vemos.", "Vamos resolver seu problema hoje!",
                "Não é problema nenhum!", "Ne vous inquiétez pas, ce n'est pas votre problème.", "Was ist Ihr Problem genau?",
                "Keine Sorge, das ist nicht Ihr Problem.",
                "Tu hijo aprende a leer con nuestra app.", "¿Leíste nuestro blog? Tiene ideas geniales.", "Die Leiste oben zeigt den Warenkorb."));
    }

    @Test
    void youWillRegretItIsReadInFiveMoreLanguages() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), "violence", List.of("Tu vas le regretter, crois-moi.", "Me las vas a pagar.",
                "Questa me la pagherai.", "Das wirst du bereuen.", "Você vai se arrepender disso."),
                List.of("¡No te vas a arrepentir!", "Tu ne vas pas le regretter !", "Non te ne pentirai!",
                "Das wirst du nicht bereuen!", "Você não vai se arrepender!",
                "¿Cómo lo vas a pagar?", "La pagherai a rate, senza interessi.", "Você vai pagar só o frete.", "Vous allez le payer 20 € de moins."));
    }

    @Test
    void anEyeRollAnUpsideDownFaceOrAClownAtThePersonAnsweredIsContempt() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), "contempt", List.of("Sure, it's definitely our fault the parcel got rained on 🙃",
                "Maybe update your phone first 🤡", "Sim, claro, a culpa é nossa 🙄"),
                List.of("Happy Friday! 🙂", "Thanks so much 😊 see you soon", "No idea 🤷 but we'll ask the team!"));
    }

    @Test
    void aPostThatSaysSomeoneIsInDangerIsSelfHarm() throws Exception {
        SensitivePatterns p = shipped();
        for (String post : List.of("just swallowed a whole bottle of pills. bye everyone", "haven't eaten in 5 days and I feel great",
                "driving home drunk, your playlist slaps", "drove home after 6 of your beers, still got it",
                "blackout challenge, who can last longest?", "Não aguento mais viver assim",
                "No aguanto más, a veces pienso que sería mejor desaparecer")) {
            assertEquals(List.of("self_harm"), categories(p, post), post);
        }
    }

    @Test
    void defangedLinksSideloadingRepeatedMentionsAndOtherLanguages() throws Exception {
        SensitivePatterns p = shipped();
        String[][] caught = {
                {"phishing", "Verify your booking at boxoffice[.]ticket-check[.]co today"},
                {"phishing", "get it early: install the beta from this link, not the app store: kv.app/get"},
                {"phishing", "Update your delivery details to get your parcel → pkg.li/x1"},
                {"spam", "Follow @deals for tips! Follow @deals for more! Follow @deals now"},
                {"violence", "their fans are pulling up on u tonight 🔫"},
                {"scam", "Last 2 tickets! Bank transfer only, tickets are emailed once payment clears"},
                {"scam", "Hai vinto! Per ricevere il premio paga 9,90€ di spedizione"},
                {"self_harm", "J'en peux plus, je pense à en finir."},
                {"self_harm", "ya no puedo más, quiero acabar con todo"}};
        for (String[] c : caught) {
            assertEquals(List.of(c[0]), categories(p, c[1]), c[1]);
        }
        for (String benign : List.of("Pour en finir avec les files d'attente : commandez en ligne !", "Not in the App Store yet, soon!",
                "Thanks @lena, @lena's sister and the whole team!", "Refunds go back by bank transfer only, within 5 days.",
                "Update your delivery address in Settings before you check out.", "Il premio verrà spedito gratis a casa tua 🎁")) {
            assertEquals(List.of(), categories(p, benign), benign);
        }
    }

    /** {@code reader} reads each of {@code read} as {@code category} alone, and nothing in each of {@code lookAlikes}. */
    private static void assertRead(Function<String, List<String>> reader, String category, List<String> read, List<String> lookAlikes) {
        assertRead(reader, List.of(category), read.toArray(String[]::new));
        assertRead(reader, List.of(), lookAlikes.toArray(String[]::new));
    }

    /** Each text read as the categories (none: an empty list) by a reader, the patterns or the rules together. */
    private static void assertRead(Function<String, List<String>> reader, List<String> categories, String... texts) {
        for (String text : texts) {
            assertEquals(categories, reader.apply(text), text);
        }
    }

    @Test
    void adviceGivenIsFinancialAndADisclaimerOrAWarningIsNot() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), List.of("financial"), "Not financial advice but load up on $VTLN before Thursday",
                "Here is some investment advice: sell everything today.", "This is financial advice: go all in.");
        assertRead(t -> categories(p, t), List.of("scam"), "Pay the $3.99 redelivery fee with a gift card and it ships today");
        // the lexicon and the patterns together: "investment advice" was a lexicon phrase, blind to what stood before
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), List.of(), "We can't give investment advice; a licensed adviser can.",
                "Our budgeting app doesn't give investment advice.", "Friendly reminder: nothing we post is investment advice.",
                "We can't comment on the share price or give investment advice.", "We accept cards, Apple Pay, Google Pay and gift cards.",
                "We'll never ask you to pay anything with gift cards over the phone.");
    }

    @Test
    void anIllnessIsMedicalAndACharityRunForItsResearchIsNot() throws Exception {
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), List.of("medical"), "Our tea helps your body fight cancer naturally",
                "my mum's cancer is back", "cancerous cells");
        assertRead(t -> categories(rules, t), List.of(), "This Saturday our team runs the 10K for children's cancer research 🎗️",
                "We're partnering with a cancer charity for the cup in October");
    }

    @Test
    void aTheftOrAScamConfessedInThePostIsReadInItsOwnWords() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), List.of("legal"), "I stole a bunch of towels and a bathrobe from your hotel, they look great at home",
                "lol i just stole 3 tubs of your protein and nobody noticed", "I've been taking cards from my coworkers' wallets");
        assertRead(t -> categories(p, t), List.of(), "Your dessert stole the show tonight", "I stole a glance at the new menu 👀",
                "We took the kids from school to the park");
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), List.of("scam"), "Je me suis fait arnaquer de 2000€ par un faux service client",
                "esta escuela es una estafa", "Das ist doch Betrug!");
    }

    @Test
    void aPersonInsultedForTheirMindOrBodyInEnglishOrInTheirOwnLanguageIsAbuse() throws Exception {
        SensitiveContent rules = ParaphraseModelTrainer.shippedRules();
        assertRead(t -> categories(rules, t), List.of("abuse"), "Genuinely impressed someone this thick can operate a phone.",
                "Gym rule #1: no fat chicks hogging the free weights", "Si tu ne comprends pas ça, t'es un cas désespéré.",
                "Eres un estúpido", "Sei proprio un cretino", "Du Vollidiot");
        assertRead(t -> categories(rules, t), List.of(), "A sauce this thick needs a minute to simmer", "The crowd was so dense!",
                "Tu es nulle part ailleurs aussi bien qu'ici");
    }

    @Test
    void aCriticToldTheyAreWatchedABeatingWishedAndNewsPassedOnInConfidence() throws Exception {
        SensitivePatterns p = shipped();
        assertRead(t -> categories(p, t), List.of("violence"), "We know who you are. Think carefully before posting again.",
                "Keep talking. We know which gaming café you play at every Friday night.",
                "Hope someone finishes the job next time", "Continuez et vous allez vous faire casser la gueule.",
                "Que lo esperen a la salida y le den una lección que no olvide.",
                "Someone should teach him a lesson he won't forget", "Our crowd will be waiting outside after the match.");
        assertRead(t -> categories(p, t), List.of("legal"), "Between us, yes, and 3 more next month before the official announcement.",
                "His buyout is $2.3M and he signs Monday. You heard it here first",
                "Our Q3 numbers aren't out yet, but we beat forecasts by 40%.");
        assertRead(t -> categories(p, t), List.of(), "We know who you are: our most loyal fans!",
                "We know which plan you're on, it renews in May.", "Finish the job with our primer coat",
                "Between us, the blue one is the comfiest.", "We'll be waiting for you at the finish line!",
                "Our Q3 results are out: read them on the investor page.");
    }

    @Test
    void benignLookAlikesAreNotMatched() throws Exception {
        SensitivePatterns p = shipped();
        for (String benign : List.of("This deal is a steal", "You're killing it!", "Our legal team is hiring",
                "You can verify your email in Settings", "We'll never ask for your password in DMs",
                "Free returns within 30 days, satisfaction guaranteed", "Get 20% off until Sunday",
                "Thanks @lena and @sam for the review!", "Amazing!!!! Thank you", "The photographer will shoot the event",
                "Our help centre is at https://help.example.com/orders", "Visit us at 12 High Street from Monday",
                "Oh wow, thank you so much for the lovely review!", "We restock every Friday at 10am",
                "It's in the app under Settings > Notifications.", "That's the whole point of our loyalty card: points on every order!",
                "Imagine this jacket in green 💚", "We took a handful of photos at the launch", "Drive home safe after the show!",
                "This serum is so good it should be illegal", "Airport hacks: arrive 2h early for domestic flights", "Section F: ingredients and allergens",
                "Thanks for flagging, we'll deal with it today.", "Who asked for the recipe? Here it is!",
                "Voted best cafe for the 3rd time!", "For people who didn't check their email: the sale ends today")) {
            assertEquals(List.of(), categories(p, benign), benign);
        }
    }
}
