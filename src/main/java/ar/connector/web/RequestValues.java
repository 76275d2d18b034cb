package ar.connector.web;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Query values the admin API reads as dates and months: a malformed one is a 400 naming its parameter. */
public final class RequestValues {

    private RequestValues() {
    }

    /** yyyy-MM. */
    public static YearMonth month(String field, String value) {
        try {
            return YearMonth.parse(value.trim());
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiException.invalid(List.of(new FieldError(field, "must be a month as yyyy-MM")));
        }
    }

    /** yyyy-MM-dd, or null when absent. */
    public static LocalDate date(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(List.of(new FieldError(field, "must be a date (yyyy-MM-dd)")));
        }
    }
}
