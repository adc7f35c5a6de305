package io.kbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kbackup.BackupInfo;
import io.kbackup.BackupPhase;
import io.kbackup.RestoreInfo;
import io.kbackup.RestorePhase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tables, JSON, Velero's phase spelling and masking of what is printed. */
class PrinterTest {
    private static Map<String, Object> row(String name, Object created) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", name);
        row.put("created", created);
        row.put("namespaces", List.of("a", "b"));
        return row;
    }

    @Test
    void tablesAlignAndJsonKeepsTypes() throws Exception {
        StringWriter text = new StringWriter();
        List<Map<String, Object>> rows = List.of(row("first-backup", Instant.parse("2026-01-01T02:00:00Z")), row("b", null));
        new Printer(new PrintWriter(text), KBackupCli.OutputFormat.table).table(rows, List.of("name", "created", "namespaces"));
        assertThat(text.toString().lines().toList()).containsExactly(
                "NAME           CREATED                NAMESPACES",
                "first-backup   2026-01-01T02:00:00Z   a,b",
                "b              -                      a,b");

        StringWriter json = new StringWriter();
        new Printer(new PrintWriter(json), KBackupCli.OutputFormat.json).table(rows, List.of("name"));
        var tree = new ObjectMapper().readTree(json.toString());
        assertThat(tree.get(0).get("created").asText()).isEqualTo("2026-01-01T02:00:00Z");
        assertThat(tree.get(1).get("created").isNull()).isTrue();
        assertThat(tree.get(0).get("namespaces").get(1).asText()).isEqualTo("b");
    }

    @Test
    void phasesAreSpelledAsVeleroDoes() {
        BackupInfo b = BackupInfo.builder().name("b").phase(BackupPhase.PARTIALLY_FAILED).build();
        assertThat(BackupCommands.row(b).get("phase")).isEqualTo("PartiallyFailed");
        assertThat(BackupCommands.details(b).get("phase")).isEqualTo("PartiallyFailed");
        RestoreInfo r = RestoreInfo.builder().name("r").phase(RestorePhase.FINALIZING_PARTIALLY_FAILED).build();
        assertThat(RestoreCommands.row(r).get("phase")).isEqualTo("FinalizingPartiallyFailed");
    }

    @Test
    void aPhaseThisVersionDoesNotKnowIsShownAsRead() {
        BackupInfo b = BackupInfo.builder().name("b").veleroPhase("Paused").build();
        assertThat(b.phase()).isEqualTo(BackupPhase.UNKNOWN);
        assertThat(BackupCommands.row(b).get("phase")).isEqualTo("Paused");
    }

    @Test
    void aSecretSplitAcrossWritesIsStillMasked() {
        Secrets secrets = new Secrets();
        secrets.add("abcd-secret-efgh");
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(new RedactingWriter(out, secrets));
        w.print("key=abcd-sec");
        w.print("ret-efgh and more");
        w.println();
        w.print("tail abcd-secret-efgh");
        w.flush();
        assertThat(out.toString()).isEqualTo("key=**** and more" + System.lineSeparator() + "tail ****");
    }
}
