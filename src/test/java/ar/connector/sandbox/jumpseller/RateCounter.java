package ar.connector.sandbox.jumpseller;

import java.time.Instant;

/**
 * Per-store request accounting with fixed windows aligned to the wall-clock second and minute, so a
 * client told to slow down can wait "until the next window". Also tracks the ban that follows too
 * many rate-limit hits.
 */
final class RateCounter {

    enum Verdict { OK, LIMITED, BANNED }

    /** The decision for one request plus what the response headers should say. */
    record Decision(Verdict verdict, int perSecondLimit, int perSecondRemaining,
                    int perMinuteLimit, int perMinuteRemaining, Instant bannedUntil) {
    }

    private long second = -1;
    private long minute = -1;
    private int acceptedThisSecond;
    private int acceptedThisMinute;
    private int arrivedThisSecond;
    private int arrivedThisMinute;
    private int maxPerSecond;
    private int maxPerMinute;
    private int total;
    private int hits;
    private int hitsTowardsBan;
    private Instant bannedUntil;

    synchronized Decision admit(long nowMillis, int perSecond, int perMinute, int hitsBeforeBan, long banMillis) {
        long sec = Math.floorDiv(nowMillis, 1000);
        long min = Math.floorDiv(nowMillis, 60_000);
        if (sec != second) {
            second = sec;
            acceptedThisSecond = 0;
            arrivedThisSecond = 0;
        }
        if (min != minute) {
            minute = min;
            acceptedThisMinute = 0;
            arrivedThisMinute = 0;
        }
        total++;
        maxPerSecond = Math.max(maxPerSecond, ++arrivedThisSecond);
        maxPerMinute = Math.max(maxPerMinute, ++arrivedThisMinute);

        if (bannedUntil != null) {
            if (nowMillis < bannedUntil.toEpochMilli()) {
                return decision(Verdict.BANNED, perSecond, perMinute);
            }
            bannedUntil = null;
            hitsTowardsBan = 0;
        }
        boolean over = (perSecond > 0 && acceptedThisSecond >= perSecond)
                || (perMinute > 0 && acceptedThisMinute >= perMinute);
        if (over) {
            hits++;
            hitsTowardsBan++;
            if (hitsBeforeBan > 0 && hitsTowardsBan >= hitsBeforeBan) {
                bannedUntil = Instant.ofEpochMilli(nowMillis + banMillis);
            }
            return decision(Verdict.LIMITED, perSecond, perMinute);
        }
        acceptedThisSecond++;
        acceptedThisMinute++;
        return decision(Verdict.OK, perSecond, perMinute);
    }

    private Decision decision(Verdict v, int perSecond, int perMinute) {
        return new Decision(v, perSecond, Math.max(0, perSecond - acceptedThisSecond),
                perMinute, Math.max(0, perMinute - acceptedThisMinute), bannedUntil);
    }

    synchronized int total() { return total; }
    synchronized int hits() { return hits; }
    synchronized int maxPerSecond() { return maxPerSecond; }
    synchronized int maxPerMinute() { return maxPerMinute; }
}
