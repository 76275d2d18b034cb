package ar.connector.jumpseller;

/** What the Jumpseller client needs to act for one store. */
public record StoreCredentials(String storeCode, String login, String authToken) {

    @Override
    public String toString() {
        return "StoreCredentials[" + storeCode + "]";
    }
}
