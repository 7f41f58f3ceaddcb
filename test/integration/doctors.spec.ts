import { DoctorsService } from '../../src/doctors/doctors.service';
import type { Tenant } from '../../src/platform/tenant';
import { TenantTransaction } from '../../src/tenancy/tenant-transaction.service';
import { ClinicClient } from '../support/clinic-client';
import { createDoctor, createPatient, type TestDoctor } from '../support/front-desk';
import { type HttpResponse, send } from '../support/http';
import { apiCall, apiToken, signedInBrowser } from '../support/signed-in';
import { asClinic, createClinic, createUser, startTestApp, type TestApp, type TestUser, uniqueSlug } from '../support/test-app';

const json = { accept: 'application/json', 'content-type': 'application/json' };

interface ApiDoctor {
  id: string;
  userId: string;
  fullName: string;
  specialty: string | null;
  consultationFee: string;
  currency: string;
  slotMinutes: number;
  isActive: boolean;
  hours: { weekday: number; starts: string; ends: string }[];
  leave: { id: string; startsOn: string; endsOn: string; reason: string | null }[];
}

/** A local date `days` from today (far enough from midnight that the clinic's zone and UTC agree on "upcoming"). */
const day = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const htmx = (host: string, path: string) => ({ 'HX-Request': 'true', 'HX-Current-URL': `http://${host}${path}` });

describe('doctors’ calendars at /admin/doctors and /api/v1/doctors', () => {
  let t: TestApp;
  let clinic: Tenant;
  let host: string;
  let admin: TestUser;
  let reception: TestUser;
  let doctorUser: TestUser;
  let patient: TestUser;
  let owner: ClinicClient;

  const sql = <T>(query: string, params: unknown[] = [], tenant: Tenant = clinic) => asClinic<T[]>(t.dataSource, tenant, query, params);

  const browser = (user: TestUser, tenant: Tenant = clinic): Promise<ClinicClient> => signedInBrowser(t.url, `${tenant.slug}.localhost`, user);
  const token = (user: TestUser, tenant: Tenant = clinic): Promise<string> => apiToken(t.url, `${tenant.slug}.localhost`, user);
  const api = (bearer: string, method: string, path: string, body?: unknown, tenant: Tenant = clinic): Promise<HttpResponse> =>
    apiCall(t.url, `${tenant.slug}.localhost`, bearer, method, path, body);

  /** The week form's fields for these ranges (the parallel lists weekday / starts / ends). */
  function weekForm(ranges: [number, string, string][], extra: [string, string][] = []): string {
    const body = new URLSearchParams();
    for (const [weekday, starts, ends] of ranges) {
      body.append('weekday', String(weekday));
      body.append('starts', starts);
      body.append('ends', ends);
    }
    for (const [k, v] of extra) body.append(k, v);
    return body.toString();
  }

  /** Posts a URL-encoded body with repeated fields (ClinicClient.post takes a plain record). */
  function postWeek(c: ClinicClient, doctorId: string, ranges: [number, string, string][], options: { extra?: [string, string][]; headers?: Record<string, string> } = {}) {
    const body = weekForm(ranges, [...(options.extra ?? []), ['_csrf', c.csrfToken]]);
    return c.request('POST', `/admin/doctors/${doctorId}/hours`, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers } });
  }

  const hoursOf = (doctorId: string) =>
    sql<{ weekday: number; starts: string; ends: string }>('SELECT weekday, starts::text, ends::text FROM working_hours WHERE doctor_id = $1 ORDER BY weekday, starts', [doctorId]);

  beforeAll(async () => {
    t = await startTestApp({ env: { SIGN_IN_RATE_LIMIT: '10000' } });
    clinic = await createClinic(t.dataSource, { slug: uniqueSlug('doctors') });
    host = `${clinic.slug}.localhost`;
    admin = await createUser(t.dataSource, clinic, { role: 'admin', fullName: 'Owner Omar' });
    reception = await createUser(t.dataSource, clinic, { role: 'reception', fullName: 'Reception Rana' });
    doctorUser = await createUser(t.dataSource, clinic, { role: 'doctor', fullName: 'Doctor Without Terms' });
    patient = await createUser(t.dataSource, clinic, { role: 'patient', fullName: 'Patient Paula', phone: '+201012345678' });
    owner = await browser(admin);
  });

  afterAll(() => t.close());

  describe('the list', () => {
    it('shows every doctor with specialty, fee and currency, slot length, a line of weekly hours, upcoming leave and status', async () => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Listed Laila', fee: '320.00', slotMinutes: 20, specialty: 'Dermatology' });
      const away = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Away Adel', hours: [] });
      await sql('UPDATE users SET is_active = false WHERE id = $1', [away.id]);
      await sql(`INSERT INTO doctor_leaves (doctor_id, starts_on, ends_on, reason) VALUES ($1, $2, $3, 'Conference')`, [d.doctorId, day(20), day(22)]);

      const page = await owner.get('/admin/doctors');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      expect(page.body).toMatch(/<title>Doctors · /);
      expect(page.body).toContain(`href="/admin/doctors/${d.doctorId}"`);
      expect(page.body).toContain('Dr. Listed Laila');
      expect(page.body).toContain('Dermatology');
      expect(page.body).toContain('320.00 EGP');
      expect(page.body).toContain('20 min');
      expect(page.body).toContain('Mon–Sun 09:00–17:00');
      expect(page.body).toMatch(/<td>\w{3} \d{1,2}/); // the coming leave, as dates
      expect(page.body).toContain('No working hours');
      expect(page.body).toContain('<strong>Deactivated</strong>');
      expect(page.body).not.toMatch(/<script(?![^>]*src=)/); // no inline scripts (CSP)
      expect(page.body).not.toMatch(/\sstyle=/);

      const fragment = await owner.get('/admin/doctors', htmx(host, '/admin/doctors'));
      expect(fragment.status).toBe(200);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body).toMatch(/^<section id="doctor-list"/);
      expect(fragment.headers.vary).toMatch(/HX-Request/i);
    });
  });

  describe('the doctor’s page', () => {
    let d: TestDoctor;
    beforeAll(async () => {
      d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Edited Emad', fee: '150.00', specialty: 'Cardiology' });
    });

    it('is one accessible page with the terms form, a fieldset per weekday and the leave form; HTMX gets the parts without the layout', async () => {
      const page = await owner.get(`/admin/doctors/${d.doctorId}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<html');
      expect(page.body).toContain('<h1>Dr. Edited Emad</h1>');
      expect(page.body).toMatch(new RegExp(`<form method="post" action="/admin/doctors/${d.doctorId}" class="form" id="terms-form"`));
      expect(page.body).toContain('<label for="consultationFee">Consultation fee (EGP)</label>');
      expect(page.body).toContain('<datalist id="specialty-options">');
      for (const name of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']) expect(page.body).toContain(`<legend>${name}</legend>`);
      expect(page.body).toContain('<label for="hours-1-0-starts">From<span class="visually-hidden"> (Monday, range 1)</span></label>');
      expect(page.body).toContain('value="09:00"');
      expect(page.body).not.toContain('09:00:00');
      expect(page.body).toMatch(new RegExp(`action="/admin/doctors/${d.doctorId}/leave"`));
      expect(page.body).toContain('<legend>Add leave</legend>');
      expect(page.body).not.toMatch(/<script(?![^>]*src=)/);
      expect(page.body).not.toMatch(/\sstyle=/);

      const fragment = await owner.get(`/admin/doctors/${d.doctorId}`, htmx(host, '/admin/doctors'));
      expect(fragment.status).toBe(200);
      expect(fragment.body).not.toContain('<html');
      expect(fragment.body).toContain('id="terms-form"');
      expect(fragment.body).toContain('id="week-form"');
      expect(fragment.body).toContain('id="doctor-leave"');
    });

    it('answers 404 for an id that names no doctor, and for an id that is not a number', async () => {
      expect((await owner.get('/admin/doctors/987654')).status).toBe(404);
      expect((await owner.get('/admin/doctors/abc')).status).toBe(404);
      expect((await owner.post('/admin/doctors/987654', { specialty: 'Cardiology', consultationFee: '1', slotMinutes: '15' })).status).toBe(404);
    });

    describe('terms', () => {
      it('stores the fee exactly as typed (numeric, never a float) and finds the specialty in any letter case, creating it once', async () => {
        const res = await owner.post(`/admin/doctors/${d.doctorId}`, { specialty: '  Pediatric   Neurology ', consultationFee: '250.50', slotMinutes: '20' });
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(`/admin/doctors/${d.doctorId}?done=terms`);
        const [row] = await sql<{ fee: string; slot_minutes: number; specialty: string }>(
          `SELECT d.consultation_fee::text AS fee, d.slot_minutes, s.name AS specialty FROM doctors d JOIN specialties s ON s.id = d.specialty_id WHERE d.id = $1`,
          [d.doctorId],
        );
        expect(row).toEqual({ fee: '250.50', slot_minutes: 20, specialty: 'Pediatric Neurology' });
        const page = await owner.get(String(res.headers.location));
        expect(page.body).toContain('terms are saved: Pediatric Neurology, 250.50 EGP per consultation, 20 minutes per appointment.');
        expect(page.body).toContain('value="250.50"');

        const other = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Other Olfat' });
        expect((await owner.post(`/admin/doctors/${other.doctorId}`, { specialty: 'PEDIATRIC neurology', consultationFee: '99999999.99', slotMinutes: '5' })).status).toBe(303);
        const specialties = await sql<{ name: string; doctors: number }>(
          `SELECT s.name, count(d.id)::int AS doctors FROM specialties s LEFT JOIN doctors d ON d.specialty_id = s.id WHERE s.name = 'pediatric neurology' GROUP BY s.name`,
        );
        expect(specialties).toEqual([{ name: 'Pediatric Neurology', doctors: 2 }]);
        const [max] = await sql<{ fee: string }>('SELECT consultation_fee::text AS fee FROM doctors WHERE id = $1', [other.doctorId]);
        expect(max.fee).toBe('99999999.99');
      });

      it('HTMX: the fresh form, the notice out of band and HX-Trigger', async () => {
        const res = await owner.post(`/admin/doctors/${d.doctorId}`, { specialty: 'Cardiology', consultationFee: '300', slotMinutes: '30' }, { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(res.status).toBe(200);
        expect(res.body).not.toContain('<html');
        expect(res.body).toMatch(/^<form method="post" action="\/admin\/doctors\/\d+" class="form" id="terms-form"/);
        expect(res.body).toContain('value="300.00"');
        expect(res.body).toContain('<div id="doctor-notice" role="status" hx-swap-oob="innerHTML">');
        expect(res.headers['hx-trigger']).toBe('doctors-changed');
      });

      it('refuses a bad fee or slot length with 422 and the messages beside the fields, keeping what was typed; nothing changes', async () => {
        const before = await sql<{ fee: string; slot_minutes: number }>('SELECT consultation_fee::text AS fee, slot_minutes FROM doctors WHERE id = $1', [d.doctorId]);
        for (const fee of ['12.345', '-1', '100000000', '1e3', '12,50']) {
          const res = await owner.post(`/admin/doctors/${d.doctorId}`, { specialty: 'Cardiology', consultationFee: fee, slotMinutes: '300' });
          expect(res.status).toBe(422);
          expect(res.body).toContain('<html');
          expect(res.body).toContain('Enter the consultation fee as an amount of 0 or more with at most 2 decimals');
          expect(res.body).toContain('Enter the appointment length in whole minutes, from 5 to 240');
          expect(res.body).toContain('aria-describedby="consultationFee-hint consultationFee-error"');
          expect(res.body).toContain('id="consultationFee-error"');
          expect(res.body).toContain(`value="${fee}"`);
          expect(res.body).toContain('<legend>Monday</legend>'); // the rest of the page is there
        }
        const fragment = await owner.post(`/admin/doctors/${d.doctorId}`, { specialty: 'C', consultationFee: '10', slotMinutes: '4' }, { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(fragment.status).toBe(422);
        expect(fragment.body).not.toContain('<html');
        expect(fragment.body).toMatch(/^<form [^>]*id="terms-form"/);
        expect(fragment.body).toContain('Enter the specialty');
        const after = await sql<{ fee: string; slot_minutes: number }>('SELECT consultation_fee::text AS fee, slot_minutes FROM doctors WHERE id = $1', [d.doctorId]);
        expect(after).toEqual(before);
      });
    });

    describe('weekly hours', () => {
      it('saves a week with two ranges on Monday and one on Wednesday, replacing the old week, and reads it back', async () => {
        const res = await postWeek(owner, d.doctorId, [
          [1, '17:00', '20:00'],
          [1, '09:00', '13:00'],
          [3, '10:00', '14:00'],
          [5, '', ''], // a blank range (added, never filled) is ignored
        ]);
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(`/admin/doctors/${d.doctorId}?done=hours`);
        expect(await hoursOf(d.doctorId)).toEqual([
          { weekday: 1, starts: '09:00:00', ends: '13:00:00' },
          { weekday: 1, starts: '17:00:00', ends: '20:00:00' },
          { weekday: 3, starts: '10:00:00', ends: '14:00:00' },
        ]);
        const page = await owner.get(String(res.headers.location));
        expect(page.body).toContain('weekly hours are saved: Mon 09:00–13:00, 17:00–20:00 · Wed 10:00–14:00.');
        expect(page.body).toMatch(/id="hours-1-1-starts" name="starts" type="time" step="60" value="17:00"/);
        expect(page.body).toMatch(/id="hours-3-0-ends" name="ends" type="time" step="60" value="14:00"/);
        const list = await owner.get('/admin/doctors');
        expect(list.body).toContain('Mon 09:00–13:00, 17:00–20:00 · Wed 10:00–14:00');

        const bearer = await token(reception);
        const got = await api(bearer, 'GET', `/api/v1/doctors/${d.doctorId}`);
        expect(got.json<ApiDoctor>().hours).toEqual([
          { weekday: 1, starts: '09:00', ends: '13:00' },
          { weekday: 1, starts: '17:00', ends: '20:00' },
          { weekday: 3, starts: '10:00', ends: '14:00' },
        ]);
      });

      it('refuses overlapping ranges with 422 and the message on that day; nothing changes', async () => {
        const before = await hoursOf(d.doctorId);
        const res = await postWeek(owner, d.doctorId, [
          [1, '09:00', '13:00'],
          [1, '12:00', '15:00'],
          [2, '08:00', '12:00'],
        ]);
        expect(res.status).toBe(422);
        expect(res.body).toContain('<html');
        expect(res.body).toContain('Monday: 09:00–13:00 and 12:00–15:00 overlap. Ranges on one day must not overlap.');
        expect(res.body).toContain('<fieldset id="day-1" class="field-invalid" aria-describedby="hours-monday-error">');
        expect(res.body).toContain('<p class="field-error" id="hours-monday-error">');
        expect(res.body).toMatch(/id="hours-1-1-starts" name="starts" type="time" step="60" value="12:00" aria-invalid="true" aria-describedby="hours-monday-error"/);
        expect(res.body).toContain('<fieldset id="day-2">'); // Tuesday is fine
        expect(await hoursOf(d.doctorId)).toEqual(before);

        const fragment = await postWeek(owner, d.doctorId, [[4, '10:00', '11:00'], [4, '10:30', '12:00']], { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(fragment.status).toBe(422);
        expect(fragment.body).not.toContain('<html');
        expect(fragment.body).toMatch(/^<form [^>]*id="week-form"/);
        expect(fragment.body).toContain('Thursday: 10:00–11:00 and 10:30–12:00 overlap.');
        expect(await hoursOf(d.doctorId)).toEqual(before);
      });

      it('refuses reversed and overnight ranges, bad times and half-filled ranges with 422', async () => {
        const before = await hoursOf(d.doctorId);
        const reversed = await postWeek(owner, d.doctorId, [[2, '17:00', '09:00']]);
        expect(reversed.status).toBe(422);
        expect(reversed.body).toContain('Tuesday: 17:00–09:00 does not end after it starts. A range must end later on the same day; overnight ranges are not possible.');
        const bad = await postWeek(owner, d.doctorId, [[6, '24:00', '25:00'], [7, '09:00', '']]);
        expect(bad.status).toBe(422);
        expect(bad.body).toContain('Saturday: enter times as HH:MM, from 00:00 to 23:59');
        expect(bad.body).toContain('Sunday: each range needs both a start and an end time.');
        expect(await hoursOf(d.doctorId)).toEqual(before);
      });

      it('adds and removes a range without saving (the add/remove buttons)', async () => {
        const before = await hoursOf(d.doctorId);
        const added = await postWeek(owner, d.doctorId, [[1, '09:00', '13:00']], { extra: [['edit', 'add:2']], headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(added.status).toBe(200);
        expect(added.body).toMatch(/^<form [^>]*id="week-form"/);
        expect(added.body).toMatch(/id="hours-2-0-starts" name="starts" type="time" step="60" value=""/);
        expect(added.body).toContain('value="remove:2:0"');

        const removed = await postWeek(owner, d.doctorId, [[1, '09:00', '13:00'], [1, '17:00', '20:00']], { extra: [['edit', 'remove:1:0']] });
        expect(removed.status).toBe(200);
        expect(removed.body).toContain('<html'); // without HTMX: the whole page, the week as edited
        expect(removed.body).toMatch(/id="hours-1-0-starts" name="starts" type="time" step="60" value="17:00"/);
        expect(removed.body).not.toContain('id="hours-1-1-starts"');
        expect(await hoursOf(d.doctorId)).toEqual(before);
      });

      it('an empty week clears the hours', async () => {
        const other = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Resting Rasha' });
        expect((await postWeek(owner, other.doctorId, [])).status).toBe(303);
        expect(await hoursOf(other.doctorId)).toEqual([]);
      });
    });

    describe('leave', () => {
      it('adds leave, refuses one that overlaps it (409, in words), removes it', async () => {
        const res = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(30), endsOn: day(32), reason: 'Medical conference' });
        expect(res.status).toBe(303);
        expect(res.headers.location).toBe(`/admin/doctors/${d.doctorId}?done=leave-added`);
        const [leave] = await sql<{ id: string; starts_on: string; ends_on: string; reason: string }>(
          'SELECT id, starts_on::text, ends_on::text, reason FROM doctor_leaves WHERE doctor_id = $1',
          [d.doctorId],
        );
        expect(leave).toEqual(expect.objectContaining({ starts_on: day(30), ends_on: day(32), reason: 'Medical conference' }));
        const page = await owner.get(String(res.headers.location));
        expect(page.body).toContain('Medical conference');
        expect(page.body).toContain(`id="leave-${leave.id}"`);

        const overlapping = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(32), endsOn: day(35), reason: '' });
        expect(overlapping.status).toBe(409);
        expect(overlapping.body).toContain(`Dr. Edited Emad is already on leave from ${day(30)} to ${day(32)}.`);
        expect(overlapping.body).toContain(`value="${day(35)}"`); // what was typed stays
        const viaHtmx = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(31) }, { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(viaHtmx.status).toBe(409);
        expect(viaHtmx.body).not.toContain('<html');
        expect(viaHtmx.body).toMatch(/^<section id="doctor-leave"/);
        expect(await sql('SELECT id FROM doctor_leaves WHERE doctor_id = $1', [d.doctorId])).toHaveLength(1);

        const single = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(33), endsOn: '' }, { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(single.status).toBe(200);
        expect(single.body).toMatch(/^<section id="doctor-leave"/);
        expect(single.headers['hx-trigger']).toBe('doctors-changed');
        const [one] = await sql<{ id: string; ends_on: string }>('SELECT id, ends_on::text FROM doctor_leaves WHERE doctor_id = $1 AND starts_on = $2', [d.doctorId, day(33)]);
        expect(one.ends_on).toBe(day(33)); // no last day: one day

        const removed = await owner.post(`/admin/doctors/${d.doctorId}/leave/${leave.id}/delete`);
        expect(removed.status).toBe(303);
        expect(removed.headers.location).toBe(`/admin/doctors/${d.doctorId}?done=leave-removed`);
        expect(await sql('SELECT id FROM doctor_leaves WHERE id = $1', [leave.id])).toEqual([]);
        expect((await owner.post(`/admin/doctors/${d.doctorId}/leave/${leave.id}/delete`)).status).toBe(404);
        const removedHtmx = await owner.post(`/admin/doctors/${d.doctorId}/leave/${one.id}/delete`, {}, { headers: htmx(host, `/admin/doctors/${d.doctorId}`) });
        expect(removedHtmx.status).toBe(200);
        expect(removedHtmx.body).toContain('was removed from Dr. Edited Emad’s calendar.');
      });

      it('refuses impossible dates and an end before the start (422)', async () => {
        const res = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: '2027-02-30', endsOn: 'soon', reason: '' });
        expect(res.status).toBe(422);
        expect(res.body).toContain('Enter the first day of leave as a date');
        expect(res.body).toContain('id="startsOn-error"');
        const reversed = await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(50), endsOn: day(45) });
        expect(reversed.status).toBe(422);
        expect(reversed.body).toContain('The last day of leave cannot be before the first day');
      });
    });
  });

  describe('who may', () => {
    it.each(['reception', 'doctor', 'patient'] as const)('%s gets 403 on every admin route, and changes nothing', async (role) => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: `Dr. Guarded ${role}` });
      const user = role === 'reception' ? reception : role === 'doctor' ? doctorUser : patient;
      const c = await browser(user);
      const results = [
        await c.get('/admin/doctors'),
        await c.get(`/admin/doctors/${d.doctorId}`),
        await c.post(`/admin/doctors/${d.doctorId}`, { specialty: 'Hacked', consultationFee: '1', slotMinutes: '5' }),
        await postWeek(c, d.doctorId, []),
        await c.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(40) }),
        await c.post(`/admin/doctors/${d.doctorId}/leave/1/delete`),
      ];
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(403));
      const bearer = await token(user);
      const writes = [
        await api(bearer, 'PATCH', `/api/v1/doctors/${d.doctorId}`, { consultationFee: '1' }),
        await api(bearer, 'PUT', `/api/v1/doctors/${d.doctorId}/hours`, { hours: [] }),
        await api(bearer, 'POST', `/api/v1/doctors/${d.doctorId}/leave`, { startsOn: day(40) }),
        await api(bearer, 'DELETE', `/api/v1/doctors/${d.doctorId}/leave/1`),
      ];
      expect(writes.map((r) => r.status)).toEqual(Array(4).fill(403));
      expect(writes[0].json()).toEqual({ error: { code: 'role_forbidden', message: expect.any(String) } });
      expect((await api(bearer, 'GET', '/api/v1/doctors')).status).toBe(200);
      const [row] = await sql<{ fee: string; hours: number; leave: number }>(
        `SELECT consultation_fee::text AS fee, (SELECT count(*)::int FROM working_hours WHERE doctor_id = $1) AS hours,
                (SELECT count(*)::int FROM doctor_leaves WHERE doctor_id = $1) AS leave FROM doctors WHERE id = $1`,
        [d.doctorId],
      );
      expect(row).toEqual({ fee: '150.00', hours: 7, leave: 0 });
    });

    it('anonymous visitors are sent to sign in (pages) or refused 401 (API)', async () => {
      const c = new ClinicClient(t.url, host);
      const page = await c.get('/admin/doctors/1');
      expect(page.status).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2Fadmin%2Fdoctors%2F1');
      expect((await c.get('/admin/doctors')).headers.location).toBe('/login?next=%2Fadmin%2Fdoctors');
      expect((await send(t.url, { path: '/api/v1/doctors', host, headers: json })).status).toBe(401);
    });
  });

  describe('the API', () => {
    it('reads the doctors for reception with a Bearer token; non-owners see active doctors only, patients no leave reasons', async () => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Api Amira', fee: '175.50', slotMinutes: 25, specialty: 'ENT', hours: [{ weekday: 2, starts: '10:00', ends: '12:30' }] });
      const off = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Inactive Ihab' });
      await sql('UPDATE users SET is_active = false WHERE id = $1', [off.id]);
      await sql(`INSERT INTO doctor_leaves (doctor_id, starts_on, ends_on, reason) VALUES ($1, $2, $2, 'Personal')`, [d.doctorId, day(60)]);

      const bearer = await token(reception);
      const list = await api(bearer, 'GET', '/api/v1/doctors');
      expect(list.status).toBe(200);
      const { doctors } = list.json<{ doctors: ApiDoctor[] }>();
      const amira = doctors.find((x) => x.id === d.doctorId)!;
      expect(amira).toEqual({
        id: d.doctorId,
        userId: d.id,
        fullName: 'Dr. Api Amira',
        specialty: 'ENT',
        consultationFee: '175.50',
        currency: 'EGP',
        slotMinutes: 25,
        isActive: true,
        hours: [{ weekday: 2, starts: '10:00', ends: '12:30' }],
        leave: [{ id: expect.stringMatching(/^\d+$/), startsOn: day(60), endsOn: day(60), reason: 'Personal' }],
      });
      expect(doctors.map((x) => x.id)).not.toContain(off.doctorId);
      expect(doctors.every((x) => x.isActive)).toBe(true);

      const one = await api(bearer, 'GET', `/api/v1/doctors/${d.doctorId}`);
      expect(one.status).toBe(200);
      expect(one.json()).toEqual(amira);
      expect((await api(bearer, 'GET', `/api/v1/doctors/${off.doctorId}`)).status).toBe(404);
      const missing = await api(bearer, 'GET', '/api/v1/doctors/987654');
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual({ error: { code: 'doctor_not_found', message: expect.any(String) } });

      const asOwner = await api(await token(admin), 'GET', '/api/v1/doctors');
      expect(asOwner.json<{ doctors: ApiDoctor[] }>().doctors.find((x) => x.id === off.doctorId)?.isActive).toBe(false);
      const asPatient = await api(await token(patient), 'GET', `/api/v1/doctors/${d.doctorId}`);
      expect(asPatient.status).toBe(200);
      expect(asPatient.json<ApiDoctor>().leave).toEqual([expect.objectContaining({ startsOn: day(60), reason: null })]);
      const asDoctor = await api(await token(doctorUser), 'GET', '/api/v1/doctors');
      expect(asDoctor.status).toBe(200);
    });

    it('lets the owner change terms, hours and leave; errors are JSON with fields', async () => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Api Bassem' });
      const bearer = await token(admin);

      const patched = await api(bearer, 'PATCH', `/api/v1/doctors/${d.doctorId}`, { consultationFee: 99.9, specialty: 'cardiology' });
      expect(patched.status).toBe(200);
      expect(patched.json<ApiDoctor>()).toEqual(expect.objectContaining({ consultationFee: '99.90', specialty: 'Cardiology', slotMinutes: 15 }));
      const badPatch = await api(bearer, 'PATCH', `/api/v1/doctors/${d.doctorId}`, { consultationFee: '1.234', slotMinutes: 241, isActive: false });
      expect(badPatch.status).toBe(422);
      expect(badPatch.json()).toEqual({
        error: {
          code: 'validation_failed',
          message: expect.any(String),
          fields: {
            consultationFee: [expect.stringContaining('at most 2 decimals')],
            slotMinutes: ['Enter the appointment length in whole minutes, from 5 to 240'],
            isActive: [expect.any(String)],
          },
        },
      });

      const week = { hours: [{ weekday: 1, starts: '09:00', ends: '13:00' }, { weekday: 1, starts: '13:00', ends: '16:00' }, { weekday: 6, starts: '10:00', ends: '11:00' }] };
      const put = await api(bearer, 'PUT', `/api/v1/doctors/${d.doctorId}/hours`, week);
      expect(put.status).toBe(200);
      expect(put.json<ApiDoctor>().hours).toEqual(week.hours);
      const overlap = await api(bearer, 'PUT', `/api/v1/doctors/${d.doctorId}/hours`, { hours: [{ weekday: 7, starts: '09:00', ends: '12:00' }, { weekday: 7, starts: '11:59', ends: '14:00' }] });
      expect(overlap.status).toBe(422);
      expect(overlap.json()).toEqual({
        error: { code: 'invalid_hours', message: expect.any(String), fields: { 'hours.sunday': ['Sunday: 09:00–12:00 and 11:59–14:00 overlap. Ranges on one day must not overlap.'] } },
      });
      const shape = await api(bearer, 'PUT', `/api/v1/doctors/${d.doctorId}/hours`, { hours: [{ weekday: 8, starts: '09:00', ends: '10:00' }] });
      expect(shape.status).toBe(422);
      expect(shape.json<{ error: { fields: Record<string, string[]> } }>().error.fields).toEqual({ 'hours.0.weekday': [expect.stringContaining('1 (Monday) to 7 (Sunday)')] });
      expect((await api(bearer, 'GET', `/api/v1/doctors/${d.doctorId}`)).json<ApiDoctor>().hours).toEqual(week.hours);

      // an appointment inside the new leave is counted, so that the front desk moves it
      const p = await createPatient(t.dataSource, clinic);
      await sql(
        `INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at)
         VALUES ($1, $2, ($3::date + time '10:00') AT TIME ZONE 'Africa/Cairo', ($3::date + time '10:15') AT TIME ZONE 'Africa/Cairo')`,
        [p.id, d.doctorId, day(71)],
      );
      const added = await api(bearer, 'POST', `/api/v1/doctors/${d.doctorId}/leave`, { startsOn: day(70), endsOn: day(72), reason: 'Hajj' });
      expect(added.status).toBe(201);
      const leave = added.json<{ id: string; startsOn: string; endsOn: string; reason: string; bookedAppointments: number }>();
      expect(leave).toEqual({ id: expect.stringMatching(/^\d+$/), startsOn: day(70), endsOn: day(72), reason: 'Hajj', bookedAppointments: 1 });
      const page = await owner.get(`/admin/doctors/${d.doctorId}`);
      expect(page.body).toContain('<strong>1</strong> <span class="muted">— move or cancel them</span>');

      const clash = await api(bearer, 'POST', `/api/v1/doctors/${d.doctorId}/leave`, { startsOn: day(68), endsOn: day(70) });
      expect(clash.status).toBe(409);
      expect(clash.json()).toEqual({ error: { code: 'leave_overlaps', message: expect.stringContaining(`already on leave from ${day(70)} to ${day(72)}`), fields: { startsOn: [expect.any(String)] } } });
      const invalid = await api(bearer, 'POST', `/api/v1/doctors/${d.doctorId}/leave`, { startsOn: 'tomorrow', reason: 'x'.repeat(201) });
      expect(invalid.status).toBe(422);
      expect(Object.keys(invalid.json<{ error: { fields: Record<string, string[]> } }>().error.fields).sort()).toEqual(['reason', 'startsOn']);

      const removed = await api(bearer, 'DELETE', `/api/v1/doctors/${d.doctorId}/leave/${leave.id}`);
      expect(removed.status).toBe(204);
      const again = await api(bearer, 'DELETE', `/api/v1/doctors/${d.doctorId}/leave/${leave.id}`);
      expect(again.status).toBe(404);
      expect(again.json<{ error: { code: string } }>().error.code).toBe('leave_not_found');
    });
  });

  describe('the audit log', () => {
    it('records every change with the signed-in owner as actor, the doctor as entity, and the ip', async () => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Audited Aya' });
      await owner.post(`/admin/doctors/${d.doctorId}`, { specialty: 'Cardiology', consultationFee: '210.25', slotMinutes: '15' });
      await postWeek(owner, d.doctorId, [[2, '08:00', '12:00']]);
      await owner.post(`/admin/doctors/${d.doctorId}/leave`, { startsOn: day(90), reason: 'Wedding' });
      const [leave] = await sql<{ id: string }>('SELECT id FROM doctor_leaves WHERE doctor_id = $1', [d.doctorId]);
      await owner.post(`/admin/doctors/${d.doctorId}/leave/${leave.id}/delete`);

      const rows = await sql<{ action: string; actor_id: string; entity: string; entity_id: string; details: Record<string, unknown>; ip: string }>(
        `SELECT action, actor_id, entity, entity_id, details, host(ip) AS ip FROM audit_log WHERE entity = 'doctor' AND entity_id = $1 ORDER BY id`,
        [d.doctorId],
      );
      expect(rows.map((r) => r.action)).toEqual(['doctor.updated', 'doctor.hours_changed', 'doctor.leave_added', 'doctor.leave_removed']);
      for (const row of rows) expect(row).toEqual(expect.objectContaining({ actor_id: admin.id, entity: 'doctor', entity_id: d.doctorId, ip: '127.0.0.1' }));
      expect(rows[0].details).toEqual({ fullName: 'Dr. Audited Aya', changes: { consultationFee: { from: '150.00', to: '210.25' } } });
      expect(rows[1].details).toEqual(expect.objectContaining({ before: 'Mon–Sun 09:00–17:00', after: 'Tue 08:00–12:00', ranges: 1 }));
      expect(rows[2].details).toEqual(expect.objectContaining({ leaveId: leave.id, startsOn: day(90), endsOn: day(90), reason: 'Wedding' }));
      expect(rows[3].details).toEqual(expect.objectContaining({ leaveId: leave.id }));
    });
  });

  describe('another clinic', () => {
    it("an owner of clinic A gets 404 for a doctor id that exists only in clinic B, sees their own doctor under a shared id, and B is unchanged", async () => {
      const a = await createClinic(t.dataSource, { slug: uniqueSlug('doc-a') });
      const b = await createClinic(t.dataSource, { slug: uniqueSlug('doc-b') });
      const ownerA = await createUser(t.dataSource, a, { role: 'admin' });
      const mine = await createDoctor(t.dataSource, a, { fullName: 'Dr. Of Clinic A' });
      const theirsSameId = await createDoctor(t.dataSource, b, { fullName: 'Dr. Of Clinic B One' });
      const theirs = await createDoctor(t.dataSource, b, { fullName: 'Dr. Of Clinic B Two' });
      expect(theirsSameId.doctorId).toBe(mine.doctorId); // ids are per clinic schema
      const onlyInB = theirs.doctorId;

      const c = await browser(ownerA, a);
      const shared = await c.get(`/admin/doctors/${mine.doctorId}`);
      expect(shared.body).toContain('Dr. Of Clinic A');
      expect(shared.body).not.toContain('Clinic B');
      expect((await c.get(`/admin/doctors/${onlyInB}`)).status).toBe(404);
      expect((await c.post(`/admin/doctors/${onlyInB}`, { specialty: 'Taken', consultationFee: '1', slotMinutes: '5' })).status).toBe(404);
      expect((await postWeek(c, onlyInB, [[1, '01:00', '02:00']])).status).toBe(404);
      expect((await c.post(`/admin/doctors/${onlyInB}/leave`, { startsOn: day(40) })).status).toBe(404);
      const bearer = await token(ownerA, a);
      expect((await api(bearer, 'GET', `/api/v1/doctors/${onlyInB}`, undefined, a)).status).toBe(404);
      expect((await api(bearer, 'PATCH', `/api/v1/doctors/${onlyInB}`, { consultationFee: '1' }, a)).status).toBe(404);
      expect((await api(bearer, 'PUT', `/api/v1/doctors/${onlyInB}/hours`, { hours: [] }, a)).status).toBe(404);
      expect((await api(bearer, 'POST', `/api/v1/doctors/${onlyInB}/leave`, { startsOn: day(40) }, a)).status).toBe(404);
      const list = await api(bearer, 'GET', '/api/v1/doctors', undefined, a);
      expect(list.json<{ doctors: ApiDoctor[] }>().doctors.map((x) => x.fullName)).toEqual(['Dr. Of Clinic A']);

      const rowsB = await sql<{ fee: string; hours: number; leave: number }>(
        `SELECT d.consultation_fee::text AS fee, (SELECT count(*)::int FROM working_hours h WHERE h.doctor_id = d.id) AS hours,
                (SELECT count(*)::int FROM doctor_leaves l WHERE l.doctor_id = d.id) AS leave FROM doctors d ORDER BY d.id`,
        [],
        b,
      );
      expect(rowsB).toEqual([
        { fee: '150.00', hours: 7, leave: 0 },
        { fee: '150.00', hours: 7, leave: 0 },
      ]);
    });
  });

  describe('the read service other modules use', () => {
    it('DoctorsService.calendar gives the doctor’s calendar, or doctor_not_found', async () => {
      const d = await createDoctor(t.dataSource, clinic, { fullName: 'Dr. Calendar Camelia', hours: [{ weekday: 4, starts: '08:30', ends: '11:00' }] });
      const service = t.app.get(DoctorsService);
      const calendar = await t.app.get(TenantTransaction).run(clinic, () => service.calendar(d.doctorId));
      expect(calendar).toEqual({
        id: d.doctorId,
        fullName: 'Dr. Calendar Camelia',
        specialty: 'Cardiology',
        consultationFee: '150.00',
        slotMinutes: 15,
        isActive: true,
        hours: [{ weekday: 4, starts: '08:30', ends: '11:00' }],
        leave: [],
      });
      await expect(t.app.get(TenantTransaction).run(clinic, () => service.calendar('987654'))).rejects.toMatchObject({ code: 'doctor_not_found', status: 404 });
    });
  });
});
