package io.switchboard.common.text;

import java.util.ArrayList;
import java.util.List;

/**
 * A text cut into messages of a bounded length, for a reader who gets them one after another: ai-service's answer
 * longer than chat-service stores, a message longer than a platform takes (Instagram: under 1,000 characters and
 * 1,000 bytes). Each part ends where a reader would pause: at a paragraph if one ends in the second half of the part,
 * else at a line, a sentence, a word, and only as a last resort mid-word (never between the two halves of a surrogate
 * pair).
 */
public final class TextParts {
    private static final String ELLIPSIS = "\u2026";
    private static final String[] SENTENCE_ENDS = { ". ", "! ", "? ", "。" };

    private TextParts() {
    }

    /** The parts of the text, each at most {@code maxLength} characters, none blank (one empty part for a blank text). */
    public static List<String> of(String text, int maxLength) {
        return of(text, maxLength, Integer.MAX_VALUE);
    }

    /** As {@link #of(String, int)}, each part also at most {@code maxUtf8Bytes} bytes in UTF-8 (a platform that counts bytes). */
    public static List<String> of(String text, int maxLength, int maxUtf8Bytes) {
        if (maxLength < 2 || maxUtf8Bytes < 4) {
            // less could not hold every character: one outside the BMP is two chars and four bytes
            throw new IllegalArgumentException("maxLength must be 2 or more and maxUtf8Bytes 4 or more");
        }
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        for (int fits; (fits = fitting(rest, maxLength, maxUtf8Bytes)) < rest.length();) {
            int cut = cut(rest, fits);
            String part = rest.substring(0, cut).strip();
            if (!part.isEmpty()) {
                parts.add(part);
            }
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty() || parts.isEmpty()) {
            parts.add(rest);
        }
        return parts;
    }

    /** How many chars from the start of the text fit both limits, whole code points only. */
    private static int fitting(String text, int maxLength, int maxUtf8Bytes) {
        int bytes = 0;
        int at = 0;
        while (at < text.length()) {
            int codePoint = text.codePointAt(at);
            int chars = Character.charCount(codePoint);
            int encoded = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : chars == 1 ? 3 : 4;
            if (at + chars > maxLength || bytes + encoded > maxUtf8Bytes) {
                return at;
            }
            bytes += encoded;
            at += chars;
        }
        return at;
    }

    /**
     * The text as it is when it fits, else its beginning up to a break (as a first part ends) and an ellipsis, at most
     * {@code maxLength} characters in all: for one message that cannot become several.
     */
    public static String shortened(String text, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength must be 3 or more");
        }
        String stripped = text.strip();
        if (stripped.length() <= maxLength) {
            return stripped;
        }
        return stripped.substring(0, cut(stripped, maxLength - 1)).strip() + ELLIPSIS;
    }

    /** Where the first part of {@code text} (longer than {@code max}) ends: an index in (0, max]. */
    private static int cut(String text, int max) {
        String window = text.substring(0, max);
        int half = max / 2;
        int paragraph = window.lastIndexOf("\n\n");
        if (paragraph >= half) {
            return paragraph;
        }
        int line = window.lastIndexOf('\n');
        if (line >= half) {
            return line;
        }
        int sentence = -1;
        for (String end : SENTENCE_ENDS) {
            int at = window.lastIndexOf(end);
            if (at >= 0) {
                // the sentence's closing mark stays with it
                sentence = Math.max(sentence, at + end.strip().length());
            }
        }
        if (sentence >= half) {
            return sentence;
        }
        for (int i = max; i > half; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    }
}
