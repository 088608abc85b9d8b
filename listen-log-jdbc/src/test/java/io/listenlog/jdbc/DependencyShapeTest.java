package io.listenlog.jdbc;

import io.listenlog.jdbc.internal.Vendor;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A PostgreSQL host that adds listen-log-jdbc must not get SQLite, MariaDB or MySQL artifacts, nor a second Jackson:
 * every database-specific dependency of this module stays optional (a host gets it through listen-log-sqlite,
 * listen-log-postgresql or listen-log-mariadb).
 */
class DependencyShapeTest {

    private static final Set<String> DATABASE_SPECIFIC = Set.of("sqlite-jdbc", "HikariCP", "flyway-database-postgresql",
            "flyway-mysql", "postgresql", "mariadb-java-client", "mysql-connector-j");

    @Test
    void databaseSpecificDependenciesAreOptionalOrTestOnlyAndNoJacksonOfOurOwn() throws Exception {
        List<String> leaking = new ArrayList<>();
        NodeList dependencies = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"))
                .getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = text(dependency, "artifactId");
            String group = text(dependency, "groupId");
            boolean reachesHosts = !"test".equals(text(dependency, "scope")) && !"true".equals(text(dependency,
                    "optional"));
            if (reachesHosts && (DATABASE_SPECIFIC.contains(artifact) || group.contains("jackson"))) {
                leaking.add(group + ":" + artifact);
            }
        }
        assertThat(leaking).as("dependencies every host of listen-log-jdbc would get").isEmpty();
    }

    @Test
    void migratingWithoutFlywaysSupportForTheDatabaseNamesTheArtifactToAdd() {
        ClassLoader withoutPlugins = new URLClassLoader(new URL[0], null);
        assertThatThrownBy(() -> Vendor.POSTGRESQL.requireFlywaySupport(withoutPlugins))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("io.listenlog:listen-log-postgresql");
        assertThatThrownBy(() -> Vendor.MYSQL.requireFlywaySupport(withoutPlugins))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("io.listenlog:listen-log-mariadb");
        Vendor.SQLITE.requireFlywaySupport(withoutPlugins);
        Vendor.POSTGRESQL.requireFlywaySupport(getClass().getClassLoader());
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().strip();
    }
}
