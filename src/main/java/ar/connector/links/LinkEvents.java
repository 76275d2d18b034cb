package ar.connector.links;

/** What happened to a link; listeners act after the transaction committed. */
public final class LinkEvents {

    private LinkEvents() {
    }

    /** A link was created or changed. */
    public record Saved(long linkId) {
    }

    /** A link was unlinked; it carries the store's credentials so its hooks can still be removed. */
    public record Unlinked(long linkId, String storeCode, String login, String authToken) {
        @Override
        public String toString() {
            return "Unlinked[" + linkId + ", " + storeCode + "]";
        }
    }
}
