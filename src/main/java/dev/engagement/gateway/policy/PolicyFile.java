package dev.engagement.gateway.policy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The editable policy files (lexicon, patterns, word lists, idioms): one entry a line, blank lines and '#' comments skipped. */
final class PolicyFile {

    /** One meaningful line, stripped, and where it is for error messages. */
    record Line(String source, int number, String text) {

        String where() {
            return source + ":" + number;
        }
    }

    private PolicyFile() {
    }

    static List<Line> lines(InputStream in, String source) {
        List<Line> out = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(new Line(source, n, t));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + source, e);
        }
        return out;
    }
}
