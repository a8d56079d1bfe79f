//! The demo data set, built only from facts the five source articles report
//! (see `DOMAIN.md` in the project history and the README's data credits).
//! Where an article does not say a fact, the field stays empty.
//!
//! Ids are fixed so loading is idempotent: `berguru seed-demo` on a database
//! that already holds the demo changes nothing.

use chrono::{DateTime, NaiveDate, Utc};
use entity::*;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, TransactionSession,
    TransactionTrait,
};
use uuid::Uuid;

const SRC_JABAR_2024: &str = "IntimNews.com, 5 Februari 2024";
const SRC_JAMBI_2020: &str = "Sitimang.com, 12 Maret 2020";
const SRC_KOLTIM: &str = "SultraKini.com";
const SRC_SUMEDANG_2022: &str = "ruber.id, 31 Mei 2022";

/// What a demo load did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The demo was loaded now.
    Loaded,
    /// The demo was already there; nothing changed.
    AlreadyPresent,
}

fn id(n: u128) -> Uuid {
    // Demo ids share a recognisable prefix: 00000000-de70-4000-8000-...
    Uuid::from_u128(0x0000_0000_de70_4000_8000_0000_0000_0000 | n)
}

/// Fixed ids of the demo objects, for tests and examples.
pub mod ids {
    use uuid::Uuid;

    use super::id;

    /// Sumedang's e-Office super app.
    pub fn e_office() -> Uuid {
        id(0x101)
    }
    /// Kota Bandung's smart city.
    pub fn bandung_smart_city() -> Uuid {
        id(0x102)
    }
    /// Jawa Barat's Desa Digital.
    pub fn desa_digital() -> Uuid {
        id(0x103)
    }
    /// Jambi - Jawa Barat Nota Kesepakatan of 12 March 2020.
    pub fn jambi_jabar_2020() -> Uuid {
        id(0x205)
    }
}

fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, DbErr> {
    NaiveDate::from_ymd_opt(y, m, day)
        .ok_or_else(|| DbErr::Custom(format!("bad demo date {y}-{m}-{day}")))
}

fn s(v: &str) -> Option<String> {
    Some(v.to_owned())
}

struct PracticeSeed<'a> {
    id: Uuid,
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    description: Option<&'a str>,
    owner: &'a str,
    sectors: &'a [Sector],
    form: PracticeForm,
    is_digital: Option<bool>,
    maturity: Option<Maturity>,
    last_verified_on: Option<NaiveDate>,
    year_started: Option<i32>,
    looking_for_adopters: bool,
    lessons_learned: Option<&'a str>,
}

struct Party<'a> {
    region: &'a str,
    position: Option<i32>,
    signatory: Option<(&'a str, &'a str)>,
}

struct AgreementSeed<'a> {
    id: Uuid,
    title: String,
    kind: Option<AgreementKind>,
    stage: AgreementStage,
    signed_on: Option<NaiveDate>,
    signed_place: Option<&'a str>,
    scope: &'a [&'a str],
    agencies: &'a [&'a str],
    continues: Option<(Uuid, ContinuationKind)>,
    notes: &'a str,
    parties: Vec<Party<'a>>,
    practices: Vec<Uuid>,
    history_note: &'a str,
}

/// Whether the database holds no practice and no agreement: `serve` loads
/// the demo only into such a database, never beside generated or real data.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    use sea_orm::PaginatorTrait;
    Ok(practice::Entity::find().count(db).await? == 0
        && agreement::Entity::find().count(db).await? == 0)
}

/// Loads the demo data set in one transaction unless it is already there.
pub async fn load_demo<C: ConnectionTrait + TransactionTrait>(
    db: &C,
) -> Result<SeedOutcome, DbErr> {
    if practice::Entity::find_by_id(ids::e_office())
        .one(db)
        .await?
        .is_some()
    {
        return Ok(SeedOutcome::AlreadyPresent);
    }
    let txn = db.begin().await?;
    insert_all(&txn).await?;
    txn.commit().await?;
    Ok(SeedOutcome::Loaded)
}

/// Inserts the demo data set inside the caller's transaction, without the
/// presence check of [`load_demo`] (for `berguru generate --with-demo`).
pub async fn insert_demo(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    insert_all(db).await
}

/// Inserts the demo, parents first: practices, evidence, agreements,
/// adoptions, visits. Every row is stamped with the same `now`.
async fn insert_all(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let now = Utc::now();
    for p in &practice_seeds()? {
        insert_practice(db, p, now).await?;
    }
    insert_evidence(db).await?;
    for (i, a) in agreement_seeds()?.iter().enumerate() {
        insert_agreement(db, i, a, now).await?;
    }
    insert_adoptions(db, now).await?;
    insert_visits(db, now).await
}

/// Practices named in the articles.
fn practice_seeds() -> Result<Vec<PracticeSeed<'static>>, DbErr> {
    let mut v = regency_and_city_practices()?;
    v.extend(jawa_barat_practices()?);
    v.extend(sumatera_barat_practices()?);
    Ok(v)
}

/// Sumedang's e-Office and Kota Bandung's smart city.
fn regency_and_city_practices() -> Result<Vec<PracticeSeed<'static>>, DbErr> {
    Ok(vec![
        PracticeSeed {
            id: ids::e_office(),
            slug: "sumedang-e-office",
            title: "Super aplikasi e-Office Sumedang",
            summary: "Super aplikasi e-Office Pemkab Sumedang untuk transformasi digital \
                  pemerintahan (SPBE), yang dipelajari Kabupaten Lebak dan Kabupaten Sukabumi \
                  dalam studi komparatif.",
            description: Some(
                "Pemkab Sumedang menjalankan transformasi digital Sistem Pemerintahan Berbasis \
             Elektronik (SPBE) dengan super aplikasi e-Office untuk mengakselerasi pelayanan \
             publik, sehingga Indeks Pelayanan Publik (IPP) dapat meningkat. Pada 31 Mei 2022 \
             Sumedang menerima studi komparatif Kabupaten Lebak dan Kabupaten Sukabumi dan \
             menandatangani kesepakatan bersama dengan keduanya.",
            ),
            owner: "32.11",
            sectors: &[Sector::EGovernment, Sector::PublicService],
            form: PracticeForm::Governance,
            is_digital: Some(true),
            maturity: Some(Maturity::Applied),
            last_verified_on: Some(d(2022, 5, 31)?),
            year_started: None,
            looking_for_adopters: true,
            lessons_learned: Some(
                "\"Pemkab Sumedang tidak ingin maju sendiri, tapi maju bersama-sama dengan daerah \
             lainnya\" (Sekda Sumedang Herman Suryatman).",
            ),
        },
        PracticeSeed {
            id: ids::bandung_smart_city(),
            slug: "bandung-smart-city",
            title: "Smart City Kota Bandung",
            summary: "Kota Bandung menerapkan konsep Smart City dan e-government dalam \
                  penyelenggaraan pemerintahan dan pelayanan publik, dan membagikannya kepada \
                  kabupaten/kota lain melalui city sharing.",
            description: Some(
                "Kota Bandung adalah salah satu kota yang lebih dulu menerapkan konsep Smart City \
             dalam penyelenggaraan pemerintahan dan pelayanan publik. Sebelas kabupaten/kota, \
             termasuk Kabupaten Kolaka Timur, menandatangani kesepakatan bersama dengan Kota \
             Bandung untuk benchmarking: alih pengetahuan dan pengalaman best practices antar \
             aparatur pemerintah (city sharing).",
            ),
            owner: "32.73",
            sectors: &[Sector::SmartCity, Sector::EGovernment],
            form: PracticeForm::Governance,
            is_digital: Some(true),
            maturity: Some(Maturity::Applied),
            last_verified_on: None,
            year_started: None,
            looking_for_adopters: true,
            lessons_learned: Some(
                "\"Saya tahu, tidak akan sama persis dengan apa yang telah kami terapkan. Tapi \
             minimal semangat batinnya akan sama\" (Ridwan Kamil, Wali Kota Bandung).",
            ),
        },
    ])
}

/// The province of Jawa Barat's practices.
fn jawa_barat_practices() -> Result<Vec<PracticeSeed<'static>>, DbErr> {
    Ok(vec![
        PracticeSeed {
            id: ids::desa_digital(),
            slug: "jabar-desa-digital",
            title: "Desa Digital Jawa Barat",
            summary: "Tiap desa dibantu satu unit komputer dan difasilitasi aplikasi e-commerce \
                  agar masyarakat desa dapat memasarkan produknya secara online.",
            description: Some(
                "Program Desa Digital Pemprov Jawa Barat: tiap desa dibantu satu unit komputer \
             dan difasilitasi dengan aplikasi e-commerce. Desa digital memudahkan masyarakat \
             desa memasarkan produk-produknya secara online, dan disebut efektif menurunkan \
             kemiskinan di Jawa Barat.",
            ),
            owner: "32",
            sectors: &[Sector::VillageEconomy, Sector::Smes, Sector::EGovernment],
            form: PracticeForm::PublicService,
            is_digital: Some(true),
            maturity: Some(Maturity::Applied),
            last_verified_on: Some(d(2020, 3, 12)?),
            year_started: None,
            looking_for_adopters: false,
            lessons_learned: None,
        },
        PracticeSeed {
            id: id(0x104),
            slug: "jabar-pajak-kendaraan-e-commerce",
            title: "Pembayaran pajak kendaraan bermotor melalui e-commerce",
            summary: "Pajak kendaraan bermotor di Jawa Barat dapat dibayar melalui aplikasi \
                  e-commerce seperti Tokopedia dan aplikasi lain.",
            description: Some(
                "Alih-alih membuat aplikasi sendiri, Pemprov Jawa Barat menitipkan layanan \
             pembayaran pajak kendaraan bermotor ke aplikasi e-commerce; menurut Gubernur, \
             peningkatan pendapatan dari pajak bisa berlipat-lipat karena mengubah cara.",
            ),
            owner: "32",
            sectors: &[Sector::RegionalRevenue, Sector::PublicService],
            form: PracticeForm::PublicService,
            is_digital: Some(true),
            maturity: Some(Maturity::Applied),
            last_verified_on: Some(d(2020, 3, 12)?),
            year_started: None,
            looking_for_adopters: false,
            lessons_learned: Some(
                "\"Kita tidak harus membuat aplikasi, tinggal titipkan ke e-commerce\" \
             (Ridwan Kamil, Gubernur Jawa Barat).",
            ),
        },
        PracticeSeed {
            id: id(0x105),
            slug: "jabar-unit-anti-hoaks",
            title: "Unit Anti Hoaks Jawa Barat",
            summary: "Pemprov Jawa Barat telah membentuk Unit Anti Hoaks.",
            description: None,
            owner: "32",
            sectors: &[Sector::PublicCommunication],
            form: PracticeForm::Governance,
            is_digital: None,
            maturity: Some(Maturity::Applied),
            last_verified_on: Some(d(2020, 3, 12)?),
            year_started: None,
            looking_for_adopters: false,
            lessons_learned: None,
        },
    ])
}

/// The province of Sumatera Barat's KERABAT.
fn sumatera_barat_practices() -> Result<Vec<PracticeSeed<'static>>, DbErr> {
    Ok(vec![PracticeSeed {
        id: id(0x106),
        slug: "sumbar-kerabat",
        title: "KERABAT (Kerjasama Sumatera Barat)",
        summary: "Aplikasi tempat perangkat daerah meminta layanan fasilitasi kerja sama \
                  daerah secara digital, di mana pun dan kapan pun, disertai Buku Pedoman \
                  Naskah Kerjasama.",
        description: Some(
            "Pemprov Sumatera Barat (Biro Pemerintahan bersama Dinas Kominfotik) \
             meluncurkan aplikasi KERABAT secara soft launching pada 17 Juni 2022, bersama \
             Buku Pedoman Naskah Kerjasama, pada penyampaian hasil pemetaan potensi kerja \
             sama daerah. Pemetaan itu menghimpun 115 usulan kerja sama dari OPD.",
        ),
        owner: "13",
        sectors: &[Sector::RegionalCooperation, Sector::EGovernment],
        form: PracticeForm::Governance,
        is_digital: Some(true),
        maturity: Some(Maturity::Trial),
        last_verified_on: Some(d(2022, 6, 17)?),
        year_started: Some(2022),
        looking_for_adopters: false,
        lessons_learned: Some(
            "Kerja sama daerah di Sumatera Barat masih banyak berada pada tahap Kesepakatan \
             Bersama (MoU); yang sampai pada perjanjian kerja sama dampaknya tidak sebanding \
             dengan upaya, karena tidak ada perencanaan yang jelas, matang dan terukur.",
        ),
    }])
}

/// A practice and its sectors.
async fn insert_practice(
    db: &impl ConnectionTrait,
    p: &PracticeSeed<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    practice::ActiveModel {
        id: sea_orm::Set(p.id),
        slug: sea_orm::Set(p.slug.to_owned()),
        title: sea_orm::Set(p.title.to_owned()),
        summary: sea_orm::Set(squash(p.summary)),
        description: sea_orm::Set(p.description.map(squash)),
        owner_region_code: sea_orm::Set(p.owner.to_owned()),
        form: sea_orm::Set(p.form),
        is_digital: sea_orm::Set(p.is_digital),
        maturity: sea_orm::Set(p.maturity),
        status: sea_orm::Set(PracticeStatus::Active),
        last_verified_on: sea_orm::Set(p.last_verified_on),
        year_started: sea_orm::Set(p.year_started),
        looking_for_adopters: sea_orm::Set(p.looking_for_adopters),
        contact: sea_orm::Set(None),
        links: sea_orm::Set(TextList::default()),
        lessons_learned: sea_orm::Set(p.lessons_learned.map(squash)),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
        version: sea_orm::Set(1),
        archived_at: sea_orm::Set(None),
    }
    .insert(db)
    .await?;
    for sector in p.sectors {
        practice_sector::Model {
            practice_id: p.id,
            sector: *sector,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Evidence: measured outcomes and Sumedang's 2022 index.
async fn insert_evidence(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    outcome::Model {
        id: id(0x301),
        practice_id: ids::desa_digital(),
        metric: "Persentase penduduk miskin Jawa Barat".into(),
        unit: s("%"),
        baseline_value: Some(7.25),
        baseline_year: Some(2018),
        achieved_value: Some(6.82),
        achieved_year: Some(2019),
        source: s(
            "Gubernur Jawa Barat Ridwan Kamil: penurunan kemiskinan tercepat se-Indonesia \
                   dalam setahun (Sitimang.com, 12 Maret 2020)",
        ),
    }
    .into_active_model()
    .insert(db)
    .await?;
    outcome::Model {
        id: id(0x302),
        practice_id: ids::e_office(),
        metric: "Indeks Pelayanan Publik (IPP) Kabupaten Sumedang".into(),
        unit: s("indeks (0-5)"),
        baseline_value: None,
        baseline_year: None,
        achieved_value: Some(3.8),
        achieved_year: Some(2022),
        source: s(
            "Sekda Sumedang Herman Suryatman: \"Mudah-mudahan indeksnya tidak hanya 3,8 \
                   tetapi bisa menembus empat\" (ruber.id, 31 Mei 2022)",
        ),
    }
    .into_active_model()
    .insert(db)
    .await?;
    region_index::Model {
        id: id(0x401),
        region_code: "32.11".into(),
        year: 2022,
        spbe_index: None,
        public_service_index: Some(3.8),
        innovation_index: None,
        source: s(SRC_SUMEDANG_2022),
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// Agreements, in the order they are inserted (their parties' and stage
/// changes' ids follow it).
fn agreement_seeds() -> Result<Vec<AgreementSeed<'static>>, DbErr> {
    let mut agreements = jawa_barat_2024_agreements()?;
    jambi_jawa_barat_agreements(&mut agreements)?;
    bandung_kolaka_timur_agreement(&mut agreements);
    sumedang_agreements(&mut agreements)?;
    Ok(agreements)
}

/// Jawa Barat's four Kesepakatan Bersama of 5 February 2024.
fn jawa_barat_2024_agreements() -> Result<Vec<AgreementSeed<'static>>, DbErr> {
    let jabar_scope: &[&str] = &[
        "Manajemen aparatur sipil negara (ASN)",
        "Reformasi birokrasi",
        "Persandian (Dinas Komunikasi dan Informatika)",
        "Statistik (Dinas Komunikasi dan Informatika)",
        "Pengelolaan data berbasis elektronik sesuai pedoman Satu Data Indonesia",
        "Sistem pelayanan berbasis elektronik",
    ];
    let bey = ("Bey Machmudin", "Penjabat Gubernur Jawa Barat");
    let mut agreements = Vec::new();
    for (n, code, name, signatory) in [
        (
            0x201,
            "62.08",
            "Kabupaten Sukamara",
            Some(("Kaspinor", "Penjabat Bupati Sukamara")),
        ),
        (0x202, "73.24", "Kabupaten Luwu Timur", None),
        (0x203, "17.09", "Kabupaten Bengkulu Tengah", None),
        (0x204, "72.09", "Kabupaten Tojo Una-Una", None),
    ] {
        agreements.push(AgreementSeed {
            id: id(n),
            title: format!(
                "Kesepakatan Bersama Pemerintah Provinsi Jawa Barat dan Pemerintah {name}"
            ),
            kind: Some(AgreementKind::KesepakatanBersama),
            stage: AgreementStage::FrameworkSigned,
            signed_on: Some(d(2024, 2, 5)?),
            signed_place: Some("Aula Barat Gedung Sate, Kota Bandung"),
            scope: jabar_scope,
            agencies: &[],
            continues: None,
            notes: "Ditandatangani bersama empat kabupaten pada hari yang sama: Sukamara, Luwu \
                    Timur, Bengkulu Tengah dan Tojo Una-Una. Saat itu Pemprov Jabar telah menjalin \
                    76 kerja sama: 27 dengan kabupaten/kota di Jawa Barat, 20 dengan provinsi lain \
                    dan 29 dengan kabupaten/kota di luar Jawa Barat.",
            parties: vec![
                Party {
                    region: "32",
                    position: None,
                    signatory: Some(bey),
                },
                Party {
                    region: code,
                    position: None,
                    signatory,
                },
            ],
            practices: Vec::new(),
            history_note: SRC_JABAR_2024,
        });
    }
    Ok(agreements)
}

/// Jambi and Jawa Barat: the 2017-2019 cooperation and the Nota
/// Kesepakatan of 12 March 2020 that renews and widens it.
fn jambi_jawa_barat_agreements(agreements: &mut Vec<AgreementSeed<'static>>) -> Result<(), DbErr> {
    agreements.push(AgreementSeed {
        id: id(0x206),
        title: "Kerja sama Pemerintah Provinsi Jambi dan Pemerintah Provinsi Jawa Barat 2017-2019"
            .into(),
        kind: None,
        stage: AgreementStage::Ended,
        signed_on: None,
        signed_place: None,
        scope: &["e-Samsat", "SKP online", "Perizinan"],
        agencies: &[],
        continues: None,
        notes: "Kerja sama berlangsung sejak tahun 2017 dan berakhir tahun 2019; diperpanjang \
                dan diperluas dengan Nota Kesepakatan 12 Maret 2020.",
        parties: vec![
            Party {
                region: "15",
                position: None,
                signatory: None,
            },
            Party {
                region: "32",
                position: None,
                signatory: None,
            },
        ],
        practices: Vec::new(),
        history_note: "Berakhir tahun 2019 (Sitimang.com, 12 Maret 2020)",
    });
    agreements.push(AgreementSeed {
        id: ids::jambi_jabar_2020(),
        title: "Nota Kesepakatan Pemerintah Provinsi Jambi dan Pemerintah Provinsi Jawa Barat".into(),
        kind: Some(AgreementKind::NotaKesepakatan),
        stage: AgreementStage::FrameworkSigned,
        signed_on: Some(d(2020, 3, 12)?),
        signed_place: Some("Gedung Pakuan, Bandung"),
        scope: &[
            "Pengembangan dagang komoditi unggul daerah",
            "Pengembangan sektor energi",
            "Pengembangan sumber daya manusia",
            "Pembangunan kehutanan",
            "Pengembangan dan penerapan ilmu pengetahuan dan inovasi",
            "Penyelenggaraan pelatihan kepemimpinan nasional tingkat II",
            "Peningkatan kapasitas pengelolaan pendapatan dan retribusi",
            "Layanan konsultasi pengaduan",
            "Replika aplikasi perjalanan dinas luar negeri",
        ],
        agencies: &[
            "Inspektorat",
            "Badan Penelitian dan Pengembangan Daerah (Balitbangda)",
            "Badan Keuangan Daerah (Bakeuda)",
            "Dinas Perindustrian dan Perdagangan (Disperindag)",
            "Dinas Energi dan Sumber Daya Mineral (ESDM)",
            "Badan Pengembangan Sumber Daya Manusia (BPSDM)",
            "Dinas Kehutanan",
            "Biro Pembangunan dan Kerjasama",
        ],
        continues: Some((id(0x206), ContinuationKind::RenewsAndWidens)),
        notes: "Ditandatangani di Gedung Pakuan, rumah dinas Gubernur Jawa Barat. Meneruskan \
                kerja sama 2017-2019 (e-Samsat, SKP online, perizinan), diperpanjang dan diperluas.",
        parties: vec![
            Party { region: "15", position: None, signatory: Some(("Fachrori Umar", "Gubernur Jambi")) },
            Party { region: "32", position: None, signatory: Some(("Ridwan Kamil", "Gubernur Jawa Barat")) },
        ],
        practices: Vec::new(),
        history_note: SRC_JAMBI_2020,
    });
    Ok(())
}

/// Kota Bandung and Kabupaten Kolaka Timur on smart city.
fn bandung_kolaka_timur_agreement(agreements: &mut Vec<AgreementSeed<'static>>) {
    agreements.push(AgreementSeed {
        id: id(0x207),
        title: "Kesepakatan Bersama Pemerintah Kota Bandung dan Pemerintah Kabupaten Kolaka Timur"
            .into(),
        kind: Some(AgreementKind::KesepakatanBersama),
        stage: AgreementStage::FrameworkSigned,
        signed_on: None,
        signed_place: None,
        scope: &[
            "Pengembangan Smart City dan e-government",
            "Pengembangan kebudayaan dan pariwisata",
            "Pengembangan ekonomi kreatif",
            "Pengembangan sumber daya manusia",
            "Promosi dan pengembangan UMKM",
            "Industri, perdagangan dan investasi",
            "Penataan ruang/wilayah dan infrastruktur perkotaan",
            "Perencanaan daerah",
            "Ketahanan pangan dan pertanian",
        ],
        agencies: &[],
        continues: None,
        notes: "Pedoman alih pengetahuan dan pengalaman best practices antar aparatur pemerintah \
                (city sharing). Kabupaten Kolaka Timur adalah satu dari 11 kabupaten/kota yang \
                bekerja sama dengan Kota Bandung tentang Smart City dan e-government.",
        parties: vec![
            Party {
                region: "32.73",
                position: Some(1),
                signatory: Some(("Ridwan Kamil", "Wali Kota Bandung")),
            },
            Party {
                region: "74.11",
                position: Some(2),
                signatory: Some(("Tony Herbiansyah", "Bupati Kolaka Timur")),
            },
        ],
        practices: vec![ids::bandung_smart_city()],
        history_note: SRC_KOLTIM,
    });
}

/// Sumedang's Kesepakatan Bersama with Lebak and Sukabumi of 31 May 2022.
fn sumedang_agreements(agreements: &mut Vec<AgreementSeed<'static>>) -> Result<(), DbErr> {
    for (n, code, name) in [
        (0x208, "36.02", "Kabupaten Lebak"),
        (0x209, "32.02", "Kabupaten Sukabumi"),
    ] {
        agreements.push(AgreementSeed {
            id: id(n),
            title: format!("Kesepakatan Bersama Pemerintah Kabupaten Sumedang dan Pemerintah {name} tentang SPBE"),
            kind: Some(AgreementKind::KesepakatanBersama),
            stage: AgreementStage::FrameworkSigned,
            signed_on: Some(d(2022, 5, 31)?),
            signed_place: None,
            scope: &["Transformasi digital / Sistem Pemerintahan Berbasis Elektronik (SPBE) dengan super aplikasi e-Office"],
            agencies: &[],
            continues: None,
            notes: "Ditandatangani pada hari studi komparatif di Sumedang; Sumedang menerima \
                    Kabupaten Lebak dan Kabupaten Sukabumi pada hari yang sama.",
            parties: vec![
                Party { region: "32.11", position: None, signatory: None },
                Party { region: code, position: None, signatory: None },
            ],
            practices: vec![ids::e_office()],
            history_note: SRC_SUMEDANG_2022,
        });
    }
    Ok(())
}

/// The `i`th agreement with its parties, practices and stage.
async fn insert_agreement(
    db: &impl ConnectionTrait,
    i: usize,
    a: &AgreementSeed<'_>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    agreement::ActiveModel {
        id: sea_orm::Set(a.id),
        number: sea_orm::Set(None),
        title: sea_orm::Set(a.title.clone()),
        kind: sea_orm::Set(a.kind),
        category: sea_orm::Set(AgreementCategory::BetweenRegions),
        stage: sea_orm::Set(a.stage),
        signed_on: sea_orm::Set(a.signed_on),
        signed_place: sea_orm::Set(a.signed_place.map(str::to_owned)),
        valid_from: sea_orm::Set(None),
        valid_until: sea_orm::Set(None),
        scope: sea_orm::Set(TextList(a.scope.iter().map(|s| (*s).to_owned()).collect())),
        agencies: sea_orm::Set(TextList(
            a.agencies.iter().map(|s| (*s).to_owned()).collect(),
        )),
        parent_id: sea_orm::Set(None),
        continues_id: sea_orm::Set(a.continues.map(|c| c.0)),
        continuation: sea_orm::Set(a.continues.map(|c| c.1)),
        notes: sea_orm::Set(Some(squash(a.notes))),
        created_at: sea_orm::Set(now),
        updated_at: sea_orm::Set(now),
        version: sea_orm::Set(1),
    }
    .insert(db)
    .await?;
    for (j, p) in a.parties.iter().enumerate() {
        agreement_party::Model {
            id: id(0x1000 + (i as u128) * 16 + j as u128),
            agreement_id: a.id,
            position: p.position,
            region_code: s(p.region),
            third_party_name: None,
            signatory_name: p.signatory.map(|s| s.0.to_owned()),
            signatory_title: p.signatory.map(|s| s.1.to_owned()),
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    for pid in &a.practices {
        agreement_practice::Model {
            agreement_id: a.id,
            practice_id: *pid,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    let on_date = match a.stage {
        AgreementStage::Ended => None,
        _ => a.signed_on,
    };
    agreement_stage_change::Model {
        id: id(0x2000 + i as u128),
        agreement_id: a.id,
        stage: a.stage,
        on_date,
        note: s(a.history_note),
        recorded_at: now,
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// Adoptions the articles announce ("akan" = will): recorded as interest.
async fn insert_adoptions(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    for (n, practice_id, region, agreement_id, note) in [
        (
            0x501,
            ids::e_office(),
            "36.02",
            id(0x208),
            "\"Setelah di sini tentu harus ada perubahan untuk Kabupaten Lebak\" (Sekda Lebak Budi Santoso).",
        ),
        (
            0x502,
            ids::e_office(),
            "32.02",
            id(0x209),
            "\"Setelah kunjungan ini semuanya akan kita laksanakan transformasi digital seperti Merit \
          System dan lain-lain\" (Sekda Sukabumi Ade Suryaman).",
        ),
        (
            0x503,
            ids::bandung_smart_city(),
            "74.11",
            id(0x207),
            "Kabupaten Kolaka Timur akan mengembangkan konsep smart city dan e-government bersama Kota Bandung.",
        ),
    ] {
        let started_on = if region == "74.11" {
            None
        } else {
            Some(d(2022, 5, 31)?)
        };
        adoption::Model {
            id: id(n),
            practice_id,
            region_code: region.into(),
            agreement_id: Some(agreement_id),
            stage: AdoptionStage::Interested,
            started_on,
            adopted_on: None,
            stopped_on: None,
            stop_reason: None,
            notes: Some(squash(note)),
            created_at: now,
            updated_at: now,
            version: 1,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The two comparative-study visits to Sumedang on 31 May 2022.
async fn insert_visits(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<(), DbErr> {
    for (n, visitor, agreement_id, adoption_id, objectives, note) in [
        (
            0x601,
            "36.02",
            id(0x208),
            id(0x501),
            vec!["Transformasi digital / SPBE dengan super aplikasi e-Office"],
            "Lebak memilih Sumedang karena geografi dan topografinya hampir sama: \"Sumedang dan \
          Lebak ini hampir sama geografi dan topografinya tapi prestasi Lebak jauh dibawah \
          Sumedang\" (Sekda Lebak Budi Santoso). Diterima di Pendopo Setda oleh Sekda Sumedang \
          Herman Suryatman.",
        ),
        (
            0x602,
            "32.02",
            id(0x209),
            id(0x502),
            vec![
                "Transformasi digital / SPBE dengan super aplikasi e-Office",
                "Merit System",
            ],
            "\"Kita ke sini untuk berguru agar ada peningkatan pelayanan di Sukabumi\" (Sekda \
          Sukabumi Ade Suryaman). Diterima di Pendopo Setda oleh Sekda Sumedang Herman Suryatman.",
        ),
    ] {
        visit::Model {
            id: id(n),
            visitor_region_code: visitor.into(),
            host_region_code: "32.11".into(),
            starts_on: d(2022, 5, 31)?,
            ends_on: d(2022, 5, 31)?,
            learning_objectives: TextList(objectives.into_iter().map(str::to_owned).collect()),
            delegation_size: None,
            agreement_id: Some(agreement_id),
            adoption_id: Some(adoption_id),
            notes: Some(squash(note)),
            created_at: now,
            updated_at: now,
            version: 1,
        }
        .into_active_model()
        .insert(db)
        .await?;
        visit_practice::Model {
            visit_id: id(n),
            practice_id: ids::e_office(),
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Folds the line-continuation whitespace of the literals above.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
