package dev.arcx.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.arcx.common.http.ApiException;
import org.junit.jupiter.api.Test;

class UserTextTest {

    @Test
    void nulAndLoneSurrogatesAreUnsafeAndPairsAreNot() {
        assertNotNull(UserText.unsafeCharacter("a\u0000"));
        assertNotNull(UserText.unsafeCharacter("\ud800"));
        assertNotNull(UserText.unsafeCharacter("a\udc00b"));
        assertNotNull(UserText.unsafeCharacter("\ud83d"));
        assertNull(UserText.unsafeCharacter("caf\u00e9 \ud83d\ude00 \u202e"));
    }

    @Test
    void displayNamesRefuseControlsAndBidiOverrides() {
        for (String name : new String[] {"\u202Eevil", "a\u202Ab", "\u2066x\u2069", "tab\t", "new\nline", "\u001b[31m",
                "\u0085", "a\u2028b"}) {
            ApiException e = assertThrows(ApiException.class, () -> UserText.requireDisplayName("name", name), name);
            assertEquals(400, e.status());
        }
        assertEquals("Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00", UserText.requireDisplayName("name",
                "Caf\u00e9 \u05e9\u05dc\u05d5\u05dd \ud83d\ude00"));
    }

    @Test
    void aNameChosenElsewhereIsShownWithoutControlsOrBidiOverrides() {
        assertEquals("Mallory evil", UserText.displayable("Mallory\u202E \u2066evil\u0000\ud800\n"));
        assertEquals("Zo\u00eb \ud83d\ude00", UserText.displayable("Zo\u00eb \ud83d\ude00"));
    }

    @Test
    void storableTextReplacesOnlyNulAndLoneSurrogates() {
        // A pair is kept; the low surrogate after it has no partner and becomes U+FFFD.
        assertEquals("a\uFFFDb\ud800\udc00\uFFFDc", UserText.storable("a\u0000b\ud800\udc00\udc00c"));
        assertEquals("\uFFFD", UserText.storable("\udc00"));
        assertEquals("\uFFFDx", UserText.storable("\ud800x"));
        String fine = "Zo\u00eb \ud83d\ude00\n\u202E";
        assertEquals(fine, UserText.storable(fine));
        assertNull(UserText.storable(null));
    }

    @Test
    void freeTextKeepsNewlinesAndTabsOnly() {
        assertEquals("a\n\tb", UserText.requireFreeText("reason", "a\n\tb"));
        for (String text : new String[] {"a\rb", "bell\u0007", "\u001b[2J", "a\u0000"}) {
            assertThrows(ApiException.class, () -> UserText.requireFreeText("reason", text), text);
        }
    }
}
