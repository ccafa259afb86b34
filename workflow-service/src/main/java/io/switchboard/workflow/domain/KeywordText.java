package io.switchboard.workflow.domain;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How keywords and messages are cut into words: Unicode letters and digits, case-folded, so that "¡Hola!"
 * gives "hola" and "helpful" stays one word that the keyword "help" does not match.
 */
public final class KeywordText {
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}\\p{M}]+");

    private KeywordText() {
    }

    public static List<String> tokens(String text) {
        if (text == null) {
            return List.of();
        }
        String folded = Normalizer.normalize(text, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return Arrays.stream(NON_WORD.split(folded)).filter(t -> !t.isEmpty()).toList();
    }
}
