package dev.arcx.orchestrator;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.ws.rs.Path;

/**
 * The orchestrator's layering, stated over its compiled classes (and common's, which it ships with). A feature package
 * ({@code dev.arcx.orchestrator.<feature>}) stands on the ones below it and on the shared packages; a type that
 * several features need lives in a shared package or in the lowest feature that owns it, never in a higher one.
 */
@AnalyzeClasses(packages = "dev.arcx", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ORCHESTRATOR = "dev.arcx.orchestrator..";
    /** Shared plumbing every feature may use: they import no feature package, only each other, common and libraries. */
    private static final String[] SHARED = {"dev.arcx.orchestrator.config..", "dev.arcx.orchestrator.support..",
            "dev.arcx.orchestrator.docker..", "dev.arcx.orchestrator.events..", "dev.arcx.orchestrator.images..",
            "dev.arcx.orchestrator.web.."};
    private static final String[] SQL_CLIENTS = {"io.vertx.sqlclient..", "io.vertx.mutiny.sqlclient..",
            "io.vertx.pgclient..", "io.vertx.mutiny.pgclient.."};

    /** The dashboard is the top floor: it shows every feature, and nothing is built on it. */
    @ArchTest
    static final ArchRule nothingImportsTheDashboard = noClasses()
            .that().resideOutsideOfPackage("dev.arcx.orchestrator.dashboard..")
            .should().dependOnClassesThat().resideInAPackage("dev.arcx.orchestrator.dashboard..")
            .as("nothing outside dashboard imports it");

    @ArchTest
    static final ArchRule sharedPackagesImportNoFeature = classes()
            .that().resideInAnyPackage(SHARED)
            .should().onlyDependOnClassesThat(not(resideInAPackage(ORCHESTRATOR)).or(resideInAnyPackage(SHARED)))
            .as("the shared packages (config, support, docker, events, images, web) import no feature package");

    @ArchTest
    static final ArchRule featuresFormNoCycles = slices().matching("dev.arcx.orchestrator.(*)..")
            .namingSlices("$1").should().beFreeOfCycles()
            .as("the orchestrator's feature packages import each other in no cycle");

    /** Resource → service → repository: a resource reads the request and answers; SQL is the repositories'. */
    @ArchTest
    static final ArchRule resourcesAreThin = noClasses()
            .that().areAnnotatedWith(Path.class)
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .orShould().dependOnClassesThat().resideInAnyPackage(SQL_CLIENTS)
            .as("resources (@Path) touch no repository and no SQL client");

    @ArchTest
    static final ArchRule repositoriesCallNoService = noClasses()
            .that().haveSimpleNameEndingWith("Repository").and().resideInAPackage(ORCHESTRATOR)
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Service")
            .orShould().dependOnClassesThat().areAnnotatedWith(Path.class)
            .as("repositories call no service and no resource");

    /** Services talk over NATS, never through each other's classes. */
    @ArchTest
    static final ArchRule noOtherServiceImported = noClasses()
            .that().resideInAPackage(ORCHESTRATOR)
            .should().dependOnClassesThat().resideInAPackage("dev.arcx.imagebuilder..");

    @ArchTest
    static final ArchRule commonImportsNoService = noClasses()
            .that().resideInAPackage("dev.arcx.common..")
            .should().dependOnClassesThat().resideInAnyPackage(ORCHESTRATOR, "dev.arcx.imagebuilder..");
}
