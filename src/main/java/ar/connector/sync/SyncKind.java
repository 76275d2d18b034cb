package ar.connector.sync;

/** What a sync run pushes to the store. */
public enum SyncKind {
    STOCK, PRICE;

    String tag() {
        return name().toLowerCase();
    }
}
