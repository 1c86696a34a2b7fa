// The demo university's structure: two faculties, their departments, programmes, cohorts and
// disciplines, named in Kazakh, Russian and English.
export const DEMO_FACULTIES = [
  {
    code: 'IT',
    name: { kk: 'Ақпараттық технологиялар факультеті', ru: 'Факультет информационных технологий', en: 'Faculty of Information Technology' },
    departments: [
      {
        code: 'CS',
        name: { kk: 'Информатика кафедрасы', ru: 'Кафедра информатики', en: 'Department of Computer Science' },
        programmes: [
          { code: '6B06101', name: { kk: 'Информатика', ru: 'Информатика', en: 'Computer Science' }, level: 'bachelor', climate: 4.1, size: [64, 58, 61] },
          { code: '6B06102', name: { kk: 'Ақпараттық жүйелер', ru: 'Информационные системы', en: 'Information Systems' }, level: 'bachelor', climate: 3.5, size: [45, 42, 40] },
          { code: '7M06101', name: { kk: 'Деректер ғылымы', ru: 'Наука о данных', en: 'Data Science' }, level: 'master', climate: 4.3, size: [18, 16] },
        ],
        disciplines: [
          { code: 'ALG2101', name: { kk: 'Алгоритмдер және деректер құрылымдары', ru: 'Алгоритмы и структуры данных', en: 'Algorithms and Data Structures' } },
          { code: 'DB2202', name: { kk: 'Деректер қоры', ru: 'Базы данных', en: 'Databases' } },
        ],
      },
    ],
  },
  {
    code: 'PED',
    name: { kk: 'Педагогика және психология факультеті', ru: 'Факультет педагогики и психологии', en: 'Faculty of Education and Psychology' },
    departments: [
      {
        code: 'EDU',
        name: { kk: 'Педагогика кафедрасы', ru: 'Кафедра педагогики', en: 'Department of Education' },
        programmes: [
          { code: '6B01101', name: { kk: 'Педагогика және психология', ru: 'Педагогика и психология', en: 'Education and Psychology' }, level: 'bachelor', climate: 3.8, size: [52, 50, 47] },
          { code: '6B01301', name: { kk: 'Бастауыш оқытудың педагогикасы мен әдістемесі', ru: 'Педагогика и методика начального обучения', en: 'Primary Teacher Education' }, level: 'bachelor', climate: 3.2, size: [38, 35, 33] },
        ],
        disciplines: [{ code: 'PSY1105', name: { kk: 'Жас ерекшелік психологиясы', ru: 'Возрастная психология', en: 'Developmental Psychology' } }],
      },
    ],
  },
] as const;

export const ENTRY_YEARS = [2025, 2024, 2023] as const;
