package dev.apikeys.standalone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The module boundaries: the two sides meet only through the events, and only here. */
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
}
