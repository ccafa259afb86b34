package io.switchboard.system;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The shape every service shares, checked over the compiled classes of all of them: {@code api} (resources and the
 * views they return), {@code domain} (entities and the services that change them), {@code messaging} (consumers and
 * publishers) and feature packages; no package cycles; no service uses another's classes; resources reach entities
 * only through domain services.
 */
class ArchitectureTest {
    private static final List<String> SERVICES = List.of("chat", "workflow", "ai", "notifier");
    private static JavaClasses services;

    @BeforeAll
    static void importServices() {
        Path root = Path.of(System.getProperty("switchboard.root", ".."));
        List<Path> compiled = SERVICES.stream().map(s -> root.resolve(s + "-service/target/classes")).toList();
        compiled.forEach(dir -> assertTrue(Files.isDirectory(dir), dir + " is not built"));
        services = new ClassFileImporter().importPaths(compiled);
        assertTrue(services.size() > 80, "only " + services.size() + " classes found");
    }

    @Test
    void noPackageCyclesInsideAService() {
        slices().matching("io.switchboard.(*).(*)..").should().beFreeOfCycles().check(services);
    }

    @Test
    void noServiceUsesAnothersClasses() {
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service)).map(s -> "io.switchboard." + s + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("io.switchboard." + service + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others).check(services);
        }
    }

    @Test
    void resourcesReachEntitiesOnlyThroughTheDomain() {
        noClasses().that().resideInAPackage("io.switchboard.*.api..")
                .should().callMethodWhere(describe("a method of an entity (queries, persist, delete)",
                        (JavaMethodCall call) -> call.getTargetOwner().isAnnotatedWith("jakarta.persistence.Entity")))
                .check(services);
    }

    @Test
    void everyPartLivesInItsLayer() {
        classes().that().areAnnotatedWith("jakarta.persistence.Entity").should().resideInAPackage("io.switchboard.*.domain..")
                .check(services);
        classes().that().areAnnotatedWith("jakarta.ws.rs.Path").and().resideOutsideOfPackage("io.switchboard.chat.channel..")
                .should().resideInAPackage("io.switchboard.*.api..")
                .because("resources are the API; only channel webhooks live with their feature").check(services);
        methods().that().areAnnotatedWith("org.eclipse.microprofile.reactive.messaging.Incoming")
                .should().beDeclaredInClassesThat().resideInAPackage("io.switchboard.*.messaging..").check(services);
        classes().that().resideInAPackage("io.switchboard.*.domain..")
                .should().onlyDependOnClassesThat().resideOutsideOfPackages("io.switchboard.*.api..", "io.switchboard.*.messaging..")
                .check(services);
    }
}
