package ar.connector.links;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An Argentine IVA rate in percent: 21, 10.5, 27, 5, 2.5 or 0. */
@Documented
@Constraint(validatedBy = IvaRate.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface IvaRate {

    String message() default "must be one of the IVA rates 21, 10.5, 27, 5, 2.5 or 0";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    List<BigDecimal> RATES = List.of(new BigDecimal("21"), new BigDecimal("10.5"), new BigDecimal("27"),
            new BigDecimal("5"), new BigDecimal("2.5"), BigDecimal.ZERO);

    class Validator implements ConstraintValidator<IvaRate, BigDecimal> {
        @Override
        public boolean isValid(BigDecimal value, ConstraintValidatorContext context) {
            return value == null || RATES.stream().anyMatch(rate -> rate.compareTo(value) == 0);
        }
    }
}
