package dev.arcx.imagebuilder;

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
 * The image-builder's layering, stated over its compiled classes (and common's, which it ships with): feature packages
 * ({@code dev.arcx.imagebuilder.<feature>}) on top of its configuration and infrastructure, resources on services.
 */
@AnalyzeClasses(packages = "dev.arcx", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String IMAGE_BUILDER = "dev.arcx.imagebuilder..";
    /** Configuration and the producers of the engine and NATS clients: they import no feature package. */
    private static final String[] SHARED = {"dev.arcx.imagebuilder.config..", "dev.arcx.imagebuilder.infra.."};

    @ArchTest
    static final ArchRule sharedPackagesImportNoFeature = classes()
            .that().resideInAnyPackage(SHARED)
            .should().onlyDependOnClassesThat(not(resideInAPackage(IMAGE_BUILDER)).or(resideInAnyPackage(SHARED)))
            .as("the shared packages (config, infra) import no feature package");

    @ArchTest
    static final ArchRule featuresFormNoCycles = slices().matching("dev.arcx.imagebuilder.(*)..")
            .namingSlices("$1").should().beFreeOfCycles()
            .as("the image-builder's feature packages import each other in no cycle");

    /** Resource → service: a resource reads the request and answers; the engine and the builds are the services'. */
    @ArchTest
    static final ArchRule resourcesAreThin = noClasses()
            .that().areAnnotatedWith(Path.class)
            .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx.sqlclient..", "io.vertx.mutiny.sqlclient..",
                    "io.vertx.pgclient..", "io.vertx.mutiny.pgclient..", "com.github.dockerjava..")
            .as("resources (@Path) touch no repository, SQL client or engine client");

    /** Services talk over NATS, never through each other's classes. */
    @ArchTest
    static final ArchRule noOtherServiceImported = noClasses()
            .that().resideInAPackage(IMAGE_BUILDER)
            .should().dependOnClassesThat().resideInAPackage("dev.arcx.orchestrator..");

    @ArchTest
    static final ArchRule commonImportsNoService = noClasses()
            .that().resideInAPackage("dev.arcx.common..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.arcx.orchestrator..", IMAGE_BUILDER);
}
