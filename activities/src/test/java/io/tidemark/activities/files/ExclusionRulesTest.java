package io.tidemark.activities.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ExclusionRulesTest {

  @Test
  void transientDirectoriesKeepNoContents() {
    for (String dir : new String[] {"pg_wal", "pg_stat_tmp", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
        "pg_snapshots", "pg_subtrans"}) {
      assertTrue(ExclusionRules.skipsContents(dir), dir);
    }
    for (String dir : new String[] {"base", "global", "pg_xact", "pg_multixact", "pg_stat", "pg_logical", "pg_tblspc"}) {
      assertFalse(ExclusionRules.skipsContents(dir), dir);
    }
    assertTrue(ExclusionRules.keepsEmptySubdirectories("pg_wal"));
    assertFalse(ExclusionRules.keepsEmptySubdirectories("pg_replslot"));
  }

  @Test
  void serverPrivateFilesAtTheTopAreLeftOut() {
    for (String f : new String[] {"postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map", "backup_manifest",
        "postgresql.auto.conf.tmp", "current_logfiles.tmp", "recovery.signal", "standby.signal", "backup_label.old"}) {
      assertTrue(ExclusionRules.excludesTopLevelFile(f), f);
    }
    for (String f : new String[] {"postgresql.conf", "postgresql.auto.conf", "pg_hba.conf", "PG_VERSION", "current_logfiles"}) {
      assertFalse(ExclusionRules.excludesTopLevelFile(f), f);
    }
  }

  @Test
  void temporaryFilesAndRelcacheInitFilesAreLeftOutEverywhere() {
    assertTrue(ExclusionRules.excludesName("pgsql_tmp"));
    assertTrue(ExclusionRules.excludesName("pgsql_tmp12345.0"));
    assertTrue(ExclusionRules.excludesName("pg_internal.init"));
    assertTrue(ExclusionRules.excludesName("pg_internal.init.1234"));
    assertFalse(ExclusionRules.excludesName("16384"));
  }

  @Test
  void findsDatabaseDirectoriesInBaseAndTablespaces() {
    assertTrue(ExclusionRules.isDatabaseDirectory("base/1"));
    assertTrue(ExclusionRules.isDatabaseDirectory("base/16384"));
    assertTrue(ExclusionRules.isDatabaseDirectory("pg_tblspc/16390/PG_15_202209061/16384"));
    assertFalse(ExclusionRules.isDatabaseDirectory("base"));
    assertFalse(ExclusionRules.isDatabaseDirectory("global"));
    assertFalse(ExclusionRules.isDatabaseDirectory("base/16384/extra"));
  }

  @Test
  void leavesOutTemporaryRelationsAndAllButTheInitForkOfUnloggedOnes() {
    Set<String> unlogged = Set.of("16400");
    assertTrue(ExclusionRules.excludesRelationFile("t3_16500", Set.of()));
    assertTrue(ExclusionRules.excludesRelationFile("t12_16500_fsm", Set.of()));
    assertTrue(ExclusionRules.excludesRelationFile("t12_16500.3", Set.of()));
    assertTrue(ExclusionRules.excludesRelationFile("16400", unlogged));
    assertTrue(ExclusionRules.excludesRelationFile("16400.1", unlogged));
    assertTrue(ExclusionRules.excludesRelationFile("16400_fsm", unlogged));
    assertTrue(ExclusionRules.excludesRelationFile("16400_vm", unlogged));
    assertFalse(ExclusionRules.excludesRelationFile("16400_init", unlogged));
    assertFalse(ExclusionRules.excludesRelationFile("16401", unlogged));
    assertFalse(ExclusionRules.excludesRelationFile("PG_VERSION", unlogged));
    assertFalse(ExclusionRules.excludesRelationFile("pg_filenode.map", unlogged));
    assertEquals("16400", ExclusionRules.initForkOf("16400_init"));
    assertNull(ExclusionRules.initForkOf("16400_fsm"));
    assertNull(ExclusionRules.initForkOf("t1_16400_init"));
  }

  @Test
  void picksThisServersTablespaceSubdirectory() {
    assertTrue(ExclusionRules.isTablespaceVersionDirectory("PG_15_202209061", 15));
    assertFalse(ExclusionRules.isTablespaceVersionDirectory("PG_16_202307071", 15));
    assertFalse(ExclusionRules.isTablespaceVersionDirectory("PG_1_x", 15));
  }
}
