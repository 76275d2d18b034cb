package ar.connector.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.FluentProducerTemplate;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.jms.core.JmsOperations;
import org.springframework.jms.core.JmsMessageOperations;
import org.springframework.jms.core.JmsMessagingTemplate;
import org.springframework.jms.core.JmsTemplate;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import ar.connector.config.Hops;

/**
 * No hand-built message strings in the application: every message leaves Java as a record handed to
 * a route ({@link Hops}), and the routes marshal it to JSON. So nothing but {@code Hops} calls Camel's
 * producer templates, nothing at all calls Spring's JMS templates (which took the hand-built
 * {@code "runId:page"} and comma-joined strings), and {@code Hops} accepts records only, so a
 * concatenated string does not even compile.
 */
class MessageArchitectureTest {

    static final ArchRule ONLY_HOPS_SEND_TO_ROUTES = noClasses()
            .that().doNotHaveFullyQualifiedName(Hops.class.getName())
            .should().callMethodWhere(target(owner(oneOf(ProducerTemplate.class, FluentProducerTemplate.class))))
            .because("messages reach the routes as records through Hops, never as strings built by hand");

    static final ArchRule NO_JMS_TEMPLATES = noClasses()
            .should().callMethodWhere(target(owner(oneOf(JmsOperations.class, JmsMessageOperations.class,
                    JmsTemplate.class, JmsMessagingTemplate.class))))
            .because("the routes send to the broker, marshalling typed messages with camel-jackson");

    static final ArchRule HOPS_TAKE_RECORDS = methods()
            .that().areDeclaredIn(Hops.class).and().arePublic()
            .should(new ArchCondition<JavaMethod>("take the message as a java.lang.Record") {
                @Override
                public void check(JavaMethod method, ConditionEvents events) {
                    boolean typed = method.getRawParameterTypes().size() >= 2
                            && method.getRawParameterTypes().get(1).isEquivalentTo(Record.class);
                    events.add(new SimpleConditionEvent(method, typed, method.getFullName()));
                }
            });

    /** These types or their subtypes (by name too, so a type whose hierarchy was not imported still counts). */
    static DescribedPredicate<JavaClass> oneOf(Class<?>... types) {
        DescribedPredicate<JavaClass> any = DescribedPredicate.alwaysFalse();
        for (Class<?> type : types) {
            any = any.or(type(type)).or(assignableTo(type));
        }
        return any.as("one of " + java.util.Arrays.toString(types));
    }

    static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ar.connector");

    @Test
    void applicationClassesSendTypedMessagesOnlyThroughTheRoutes() {
        ONLY_HOPS_SEND_TO_ROUTES.check(APPLICATION);
        NO_JMS_TEMPLATES.check(APPLICATION);
        HOPS_TAKE_RECORDS.check(APPLICATION);
    }

    @Test
    void theRulesCatchTheHandBuiltStringsThePreviousVersionSent() {
        JavaClasses fixture = new ClassFileImporter().importClasses(HandBuiltMessages.class);

        EvaluationResult jms = NO_JMS_TEMPLATES.evaluate(fixture);
        EvaluationResult producer = ONLY_HOPS_SEND_TO_ROUTES.evaluate(fixture);

        assertThat(jms.hasViolation()).isTrue();
        assertThat(jms.getFailureReport().getDetails()).singleElement().asString()
                .contains("HandBuiltMessages.runPage").contains("convertAndSend");
        assertThat(producer.hasViolation()).isTrue();
        assertThat(producer.getFailureReport().getDetails()).singleElement().asString()
                .contains("HandBuiltMessages.syncRuns").contains("sendBody");
    }

}
