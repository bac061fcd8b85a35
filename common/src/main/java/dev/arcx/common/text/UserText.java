package dev.arcx.common.text;

import dev.arcx.common.http.ApiException;

/**
 * The rules for text people send, in one place. Every string the JSON layer reads already holds no NUL and no lone
 * surrogate ({@link #unsafeCharacter}); names a user chooses for others to see must also be free of control
 * characters and of the bidirectional overrides and isolates that make a name read as something else; free text
 * (a note, a reason) keeps newlines and tabs but no other control character.
 */
public final class UserText {
    private UserText() {
    }

    /**
     * What makes {@code text} unfit to store or pass on at all: a NUL (PostgreSQL refuses it in text, C programs cut
     * at it) or a UTF-16 surrogate without its pair (no character at all; not encodable as UTF-8). Null when fine.
     */
    public static String unsafeCharacter(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "contains a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains a lone surrogate (U+" + hex(c) + ")";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains a lone surrogate (U+" + hex(c) + ")";
            }
        }
        return null;
    }

    /**
     * {@code text} with every NUL and unpaired surrogate (what {@link #unsafeCharacter} finds) replaced by U+FFFD, for
     * text that must be stored whatever it holds (an audit entry's details); null stays null.
     */
    public static String storable(String text) {
        if (text == null || unsafeCharacter(text) == null) {
            return text;
        }
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                clean.append(c).append(text.charAt(++i));
            } else {
                clean.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.toString();
    }

    /**
     * {@code value} as a name others see (a team's, a token's): 400 naming {@code field} when it holds a control
     * character or a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069).
     */
    public static String requireDisplayName(String field, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw ApiException.badRequest(field + " may not contain control characters (U+" + hex(c) + ")");
            }
            if (isBidiControl(c)) {
                throw ApiException.badRequest(field + " may not contain bidirectional overrides or isolates (U+"
                        + hex(c) + ")");
            }
        }
        return value;
    }

    /**
     * A name chosen elsewhere (a GitHub profile's) made fit to show here: without the characters
     * {@link #requireDisplayName} refuses, and without NUL or lone surrogates. Null stays null.
     */
    public static String displayable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder kept = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean paired = i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
            if (Character.isHighSurrogate(c) && paired) {
                kept.append(c).append(value.charAt(++i));
            } else if (!Character.isSurrogate(c) && !Character.isISOControl(c) && !isBidiControl(c) && c != '\u2028'
                    && c != '\u2029') {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /** {@code value} as free text (a reason, a note): 400 naming {@code field} for a control character other than
     * newline and tab. */
    public static String requireFreeText(String field, String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                throw ApiException.badRequest(field + " may not contain control characters other than newline and "
                        + "tab (U+" + hex(c) + ")");
            }
        }
        return value;
    }

    /** The explicit embedding, override and isolate controls of Unicode's bidirectional algorithm. */
    static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}
