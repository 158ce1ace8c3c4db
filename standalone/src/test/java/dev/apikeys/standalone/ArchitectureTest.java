package dev.apikeys.standalone;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;

/**
 * The module boundaries: the two sides meet only through the events, and only here. Within the
 * query side, one package owns every customisation of Axon; the features only handle events and
 * read the store.
 */
@AnalyzeClasses(packages = "dev.apikeys", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule commandSideDoesNotKnowTheQuerySide = noClasses()
            .that().resideInAPackage("dev.apikeys.command..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.apikeys.query..", "dev.apikeys.standalone..");

    @ArchTest
    static final ArchRule querySideDoesNotKnowTheCommandSide = noClasses()
            .that().resideInAPackage("dev.apikeys.query..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.apikeys.command..", "dev.apikeys.standalone..");

    @ArchTest
    static final ArchRule eventsAreAPlainLibrary = noClasses()
            .that().resideInAPackage("dev.apikeys.events..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta.persistence..", "dev.apikeys.runtime..",
                    "dev.apikeys.command..", "dev.apikeys.query..", "dev.apikeys.standalone..");

    @ArchTest
    static final ArchRule runtimeServesBothSidesWithoutKnowingThem = noClasses()
            .that().resideInAPackage("dev.apikeys.runtime..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.apikeys.command..", "dev.apikeys.query..", "dev.apikeys.standalone..");

    @ArchTest
    static final ArchRule axonIsCustomisedInOnePackageOfTheQuerySide = noClasses()
            .that().resideInAPackage("dev.apikeys.query..")
            .and().resideOutsideOfPackage("dev.apikeys.query.processing..")
            .should().dependOnClassesThat(resideInAnyPackage(
                    "org.axonframework.config..", "org.axonframework.eventhandling.pooled..",
                    "org.axonframework.eventhandling.tokenstore..", "org.axonframework.eventsourcing.eventstore..",
                    "org.axonframework.springboot..", "org.axonframework.common.jpa..",
                    "org.axonframework.common.transaction..", "org.axonframework.lifecycle..")
                    .and(not(type(ProcessingGroup.class)))
                    .and(not(type(EventStore.class)))
                    .and(not(type(DomainEventStream.class)))
                    .or(type(StreamingEventProcessor.class))
                    .or(type(EventTrackerStatus.class))
                    .or(type(Segment.class))
                    .or(assignableTo(WrappedToken.class))
                    .or(type(GapAwareTrackingToken.class)))
            .because("processors, tokens, the store's engine and Axon's configuration are set up in one place");

    @ArchTest
    static final ArchRule theQuerySidesFeaturesAreItsPackages = slices()
            .matching("dev.apikeys.query.(*)..")
            .should().beFreeOfCycles();
}
