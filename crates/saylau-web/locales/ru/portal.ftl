site-title = Сайлау: итоги выборов
site-tagline = Каждый участок, каждая версия, каждый мандат
language = Язык
home = Страна
election = Выборы
national-result = Итоги по стране
seats = Мандаты
votes = Голоса
list = Список
share = Доля действительных голосов
qualified = Преодолел барьер
yes = да
no = нет
reporting = Поступление протоколов
stations-expected = Ожидается участков
stations-counted = Получено протоколов
stations-not-received = Не поступили
percent-reported = Обработано { $percent } протоколов
stations-count = { $n ->
    [one] { $shown } участок
    [few] { $shown } участка
    [many] { $shown } участков
   *[other] { $shown } участка
}
not-received-none = Все ожидаемые протоколы получены.
regions = Области и города
districts = Районные и городские комиссии
stations = Избирательные участки
station = Избирательный участок
territory = Комиссия
status = Статус
received = получен
not-received = не поступил
protocol-lines = Строки протокола
protocol-missing = Протокол этого участка ещё не поступил.
line = Строка
value = Значение
control-relations = Контрольные соотношения
rule-holds = выполнено
rule-broken = нарушено
version-history = История версий
version = Версия
author = Кто внёс
commission = Подписавшая комиссия
recorded-at = Время записи (UTC)
reason = Причина
no-reason = первая версия
chain-hash = Хеш записи (цепочка хешей)
content-hash = Хеш содержимого
changes = Изменённые строки
no-changes = строки не менялись
allocation-trace = Как распределены мандаты
threshold = Барьер
threshold-votes = { $percent } от { $base } голосов: не менее { $min } голосов
quota = Квота
rank = Место
whole-seats = Целые мандаты
remainder = Остаток
remainder-seats = Мандаты по остаткам
lot-seed = Зерно жребия
rules-source = Правила
no-seats = Мандаты пока нельзя распределить: протоколы не поступили.
map-title = Области Казахстана по доле полученных протоколов
chart-votes-title = Голоса по спискам
log-checkpoint = Контрольная точка журнала
checkpoint-entry = запись { $seq }
open-data = Открытые данные
api = JSON API
not-found = Не найдено
not-found-text = Такой страницы нет. Проверьте адрес или начните с итогов по стране.
against-all = Против всех
line-voters_on_roll = Число избирателей в списках
line-ballots_received = Получено бюллетеней
line-issued_in_station = Выдано бюллетеней в помещении
line-issued_outside = Выдано бюллетеней вне помещения
line-cancelled = Погашено бюллетеней
line-found_in_boxes = Бюллетеней в ящиках
line-invalid = Недействительных бюллетеней
line-valid = Действительных бюллетеней
line-against_all = Голосов против всех
rule-P-1 = Получено = выдано в помещении + выдано вне помещения + погашено
rule-P-2 = Выдано не больше, чем избирателей в списках
rule-P-3 = В ящиках не больше, чем выдано
rule-P-4 = В ящиках = недействительные + действительные
rule-P-5 = Действительные = против всех + голоса всех списков
rule-P-6 = По строке голосов на каждый список в бюллетене
rule-P-7 = Ни одна строка не превышает допустимого числа

observation-link = Независимое наблюдение: копии наблюдателей, параллельный подсчёт, сводные данные
forensics-link = Электоральная статистика: явка, отпечаток, целые проценты, избыточные голоса (тесты указывают, но не доказывают)
reform-link = Попробовать реформу: другой порог, метод или число мандатов
