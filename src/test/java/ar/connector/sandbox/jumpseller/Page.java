package ar.connector.sandbox.jumpseller;

import java.util.List;

/**
 * Jumpseller pagination: {@code page} is 1-based, {@code limit} defaults to 50 and is clamped to
 * 100 (chosen: the live API silently caps rather than failing, so a client asking for more gets a
 * "short" page and stops early; the contract test flags {@code limit > 100} in the request).
 */
record Page(int page, int limit) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    static Page of(String page, String limit) {
        int p = parse(page, 1);
        int l = parse(limit, DEFAULT_LIMIT);
        return new Page(Math.max(1, p), Math.min(MAX_LIMIT, l < 1 ? DEFAULT_LIMIT : l));
    }

    private static int parse(String s, int dflt) {
        if (s == null || s.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    <T> List<T> slice(List<T> all) {
        long from = (long) (page - 1) * limit;
        if (from >= all.size()) {
            return List.of();
        }
        return all.subList((int) from, (int) Math.min(all.size(), from + limit));
    }
}
