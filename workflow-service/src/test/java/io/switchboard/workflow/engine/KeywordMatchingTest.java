package io.switchboard.workflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import io.switchboard.workflow.domain.KeywordText;


class KeywordMatchingTest {
    @Test
    void wordsAreCaseFoldedUnicodeAwareAndWhole() {
        assertEquals(List.of("hola", "tengo", "un", "problema"), KeywordText.tokens("¡Hola! Tengo un PROBLEMA..."));
        assertEquals(List.of("this", "is", "helpful"), KeywordText.tokens("This is helpful"));
        assertEquals(List.of("привет", "straße", "日本語"), KeywordText.tokens("Привет, Straße — 日本語"));
        assertEquals(List.of("über", "café"), KeywordText.tokens("Über café"));
    }
}
