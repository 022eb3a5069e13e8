// Bokmål for the refusals of switch-ISP and termination registrations (I-3…I-6, T-2) that the shared
// form puts next to their fields; English keeps the API's words. A refusal is never shown as a code.
import { SambandProblem } from '../../client';
import { lang } from './i18n';

type FieldProblem = SambandProblem['errors'][number];

const RULES: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^no authorisation (\S+) in NRDB/, (m) => `finnes ikke i fullmaktsregisteret (NRDB): be sluttbrukeren om referansen fra fullmaktsserveren (${m[1]})`],
  [/^authorisation (\S+) belongs to another subscription/, (m) => `fullmakten ${m[1]} gjelder et annet abonnement`],
  [/^authorisation (\S+) was given by (.+), who is not the current owner/, (m) => `fullmakten ${m[1]} er gitt av ${m[2]}, som ikke er dagens eier av abonnementet`],
  [/^authorisation (\S+) expired on (\S+)/, (m) => `fullmakten ${m[1]} gikk ut ${m[2]}`],
  [/at least (\d+) calendar days ahead \(I-5\): the earliest allowed date is (\S+)/, (m) => `byttet må ligge minst ${m[1]} dager fram i tid: tidligste dato er ${m[2]}`],
  [/^the termination date (\S+) has passed.*today \((\S+)\) at the earliest/, (m) => `datoen ${m[1]} har vært: linjen kobles fra på datoen du gir, tidligst i dag (${m[2]})`],
  [/^no active product with number (\S+) in your portfolio/, (m) => `${m[1]} er ikke et aktivt produkt i porteføljen deres`],
  [/needs a technician: book a slot/, () => 'byttet trenger tekniker: velg en ledig tid på ønsket dato'],
  [/is not a free slot|is not on the requested date/, () => 'tiden er ikke ledig på ønsket dato: velg en annen'],
];

/** The same refusal with Bokmål messages (and no "not found in your company" wording for register look-ups). */
export function inBokmal(err: unknown): unknown {
  if (lang !== 'nb' || !(err instanceof SambandProblem) || err.errors.length === 0) return err;
  const errors: FieldProblem[] = err.errors.map((e) => {
    for (const [re, nb] of RULES) {
      const m = re.exec(e.message);
      if (m) return { ...e, code: 'rule_violation', message: `${nb(m)}${e.rule ? ` (${e.rule})` : ''}` } as FieldProblem;
    }
    return e;
  });
  return new SambandProblem({ ...err.problem, errors });
}
