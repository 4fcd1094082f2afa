import { resolveProfile, gapReport, builtinFramework, call, toCamel, parsePolicy, loadFramework } from "kompetens";
const librarian = resolveProfile("digcomp-2.2", [
  { id: "all-staff", requirements: [{ competence: "4.2", level: 3, weight: "critical" }] },
  { id: "librarian", extends: "all-staff", requirements: [
    { competence: "1.1", level: 4, weight: "critical" },
    { competence: "3.3", level: 3, weight: "important" }] },
], "librarian");
console.log(JSON.stringify(librarian));
const report = gapReport("digcomp-2.2", librarian, [
  { competence: "1.1", level: 2, source: "self" },
  { competence: "1.1", level: 3, source: "manager" },
  { competence: "4.2", level: 4, source: "self" },
], { policy: "prefer:manager,test,self" });
console.log(JSON.stringify(report));
try { gapReport("digcomp-2.2", librarian, { "9.9": 3 }); } catch (e) { console.log(e instanceof Error, e.name, e.code, e.category, e.location, e.message); }
try { gapReport("digcomp-2.2", {id:"x", requirements: [], bogus: 1}, {}); } catch (e) { console.log(e.code, e.location, e.message); }
try { gapReport("digcomp-2.2", librarian, {}, {policy: "max", bogus: 2}); } catch (e) { console.log(e.code, e.location, e.message); }
try { gapReport("digcomp-2.2", librarian, {}, {framework: "x"}); } catch (e) { console.log(e.code, e.location, e.message); }
const fw = builtinFramework("digcomp-2.2");
console.log(Object.keys(fw), fw.scale.levels[1]);
const fw2 = loadFramework(fw); console.log(fw2.areas.length);
console.log(parsePolicy("prefer:manager,self"), parsePolicy({kind:"max"}));
try { loadFramework("{}"); } catch (e) { console.log(e.code, e.location, e.message); }
try { gapReport(undefined, librarian, {}); } catch (e) { console.log(e.code, e.location, e.message); }
try { gapReport("digcomp-2.2", librarian, {a: 10n}); } catch (e) { console.log(e.code, e.location, e.message); }
