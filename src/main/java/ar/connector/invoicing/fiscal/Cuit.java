package ar.connector.invoicing.fiscal;

/** The Argentine tax id (CUIT/CUIL): 11 digits whose last one is a mod-11 check digit. */
public final class Cuit {

    private static final int[] WEIGHTS = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

    private Cuit() {
    }

    /** True for exactly 11 digits with a correct check digit; anything else (dashes included) is false. */
    public static boolean isValid(String digits) {
        if (digits == null || digits.length() != 11 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < WEIGHTS.length; i++) {
            sum += (digits.charAt(i) - '0') * WEIGHTS[i];
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            check = 0;
        }
        // A result of 10 has no check digit: ARCA never issues such a number (it changes the prefix instead).
        return check != 10 && check == digits.charAt(10) - '0';
    }
}
