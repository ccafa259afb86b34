package io.switchboard.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TextPartsTest {
    @Test
    void aTextThatFitsIsOnePartUnchangedButForOuterWhitespace() {
        assertEquals(List.of("Hello there."), TextParts.of("  Hello there.\n", 20));
        assertEquals(List.of("x".repeat(20)), TextParts.of("x".repeat(20), 20));
    }

    @Test
    void aLongTextEndsItsPartsAtParagraphsThenLinesThenSentencesThenWords() {
        assertEquals(List.of("First paragraph here.", "Second one."), TextParts.of("First paragraph here.\n\nSecond one.", 30));
        assertEquals(List.of("Line one is long", "line two"), TextParts.of("Line one is long\nline two", 20));
        assertEquals(List.of("One sentence. Two sentences.", "Three."), TextParts.of("One sentence. Two sentences. Three.", 30));
        assertEquals(List.of("Which one?", "This one"), TextParts.of("Which one? This one", 16));
        assertEquals(List.of("words and more", "words"), TextParts.of("words and more words", 16));
    }

    @Test
    void aBreakEarlyInThePartIsPassedOverForALaterOne() {
        // a paragraph after 2 of 30 characters would make a part of two: the last word boundary does better
        List<String> parts = TextParts.of("Hi\n\nthen a long run of words that goes on", 30);
        assertEquals(List.of("Hi\n\nthen a long run of words", "that goes on"), parts);
    }

    @Test
    void textWithoutAnyBreakIsCutAtTheLimitButNeverInsideACharacter() {
        assertEquals(List.of("a".repeat(10), "a".repeat(10), "aaa"), TextParts.of("a".repeat(23), 10));
        String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
        List<String> parts = TextParts.of("a".repeat(9) + emoji + "b", 10);
        assertEquals(List.of("a".repeat(9), emoji + "b"), parts);
    }

    @Test
    void everyPartFitsAndTogetherTheyHoldTheWholeText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("Sentence number ").append(i).append(i % 7 == 0 ? ".\n\n" : i % 5 == 0 ? ".\n" : ". ");
        }
        List<String> parts = TextParts.of(text.toString(), 1000);
        assertTrue(parts.size() > 1);
        parts.forEach(part -> assertTrue(part.length() <= 1000 && !part.isBlank(), part));
        assertEquals(text.toString().replaceAll("\\s+", ""), String.join("", parts).replaceAll("\\s+", ""));
    }

    @Test
    void aByteLimitCutsTextOfManyBytesACharacterSooner() {
        String cyrillic = "Привет мир. ".repeat(200).strip();
        List<String> parts = TextParts.of(cyrillic, 999, 1000);
        parts.forEach(part -> assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= 1000 && part.length() <= 999, part));
        assertEquals(cyrillic.replaceAll("\\s+", ""), String.join("", parts).replaceAll("\\s+", ""));
        assertTrue(parts.size() >= 4, "about 4,200 bytes in parts of 1,000: " + parts.size());
        // four bytes a character: whole characters only
        List<String> emoji = TextParts.of("\uD83D\uDE00".repeat(5), 100, 8);
        assertEquals(List.of("\uD83D\uDE00".repeat(2), "\uD83D\uDE00".repeat(2), "\uD83D\uDE00"), emoji);
        assertEquals(List.of("ascii only"), TextParts.of("ascii only", 999, 1000));
    }

    @Test
    void aTextShortenedToOneMessageEndsAtABreakWithAnEllipsis() {
        assertEquals("fits", TextParts.shortened(" fits ", 4));
        assertEquals("words and more\u2026", TextParts.shortened("words and more words", 16));
        assertEquals("a".repeat(9) + "\u2026", TextParts.shortened("a".repeat(30), 10));
        assertTrue(TextParts.shortened("x ".repeat(3000), 4096).length() <= 4096);
    }

    @Test
    void aLimitTooSmallToCutIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TextParts.of("anything", 1));
        assertThrows(IllegalArgumentException.class, () -> TextParts.of("anything", 10, 3));
    }
}
