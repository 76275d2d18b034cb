package ar.connector.contabilium;

/** A Contabilium account's API credentials: the account e-mail and its API key. */
public record ContabiliumAccount(String clientId, String clientSecret) {

    @Override
    public String toString() {
        return "ContabiliumAccount[" + clientId + "]";
    }
}
