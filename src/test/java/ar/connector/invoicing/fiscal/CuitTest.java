package ar.connector.invoicing.fiscal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CuitTest {

    @Test
    void acceptsCuitsWithTheRightCheckDigit() {
        assertThat(Cuit.isValid("20123456786")).isTrue();
        assertThat(Cuit.isValid("30712345671")).isTrue();
        assertThat(Cuit.isValid("27301234568")).isTrue();
        // Check digit 0 comes from a remainder of 11.
        assertThat(Cuit.isValid("30500000003")).isTrue();
    }

    @Test
    void rejectsAWrongCheckDigit() {
        assertThat(Cuit.isValid("20123456780")).isFalse();
        assertThat(Cuit.isValid("30712345672")).isFalse();
    }

    @Test
    void rejectsNumbersWhoseCheckDigitWouldBeTen() {
        // 2099999999x: the weighted sum leaves remainder 1, i.e. "check digit 10", which no CUIT has.
        for (int d = 0; d <= 9; d++) {
            assertThat(Cuit.isValid("2099999999" + d)).isFalse();
        }
    }

    @Test
    void rejectsAnythingButElevenDigits() {
        assertThat(Cuit.isValid("20-12345678-6")).isFalse();
        assertThat(Cuit.isValid("2012345678")).isFalse();
        assertThat(Cuit.isValid("201234567861")).isFalse();
        assertThat(Cuit.isValid(null)).isFalse();
        assertThat(Cuit.isValid("")).isFalse();
    }

    @Test
    void anInvalidCheckDigitIsNotACuitButNoDocumentAtAll() {
        assertThat(TaxDocument.parse("20-12345678-0")).isEmpty();
        assertThat(TaxDocument.parse("20-12345678-6")).contains(new TaxDocument("CUIT", "20123456786"));
    }

    @Test
    void sevenOrEightDigitsAreADni() {
        assertThat(TaxDocument.parse("12.345.678")).contains(new TaxDocument("DNI", "12345678"));
        assertThat(TaxDocument.parse("1234567")).contains(new TaxDocument("DNI", "1234567"));
        assertThat(TaxDocument.parse("123456")).isEmpty();
        assertThat(TaxDocument.parse("123456789")).isEmpty();
        assertThat(TaxDocument.parse("sin documento")).isEmpty();
    }
}
