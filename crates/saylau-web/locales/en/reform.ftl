# The reform form (/{lang}/reform) and /api/v1/reform.
rf-title = Try a reform
rf-intro = The seats of the current national results under the 2021 law (Hare largest remainder, 98 seats, 7 % of valid votes), beside the same votes under a threshold, method or house size of your choice. Leave a field empty to keep the law's value.
rf-threshold = Threshold, % of valid votes
rf-method = Method
rf-method-law = as in the law
rf-seats-input = Seats
rf-try = Compare
rf-law = Law (2021)
rf-seats = Seats
rf-votes = Votes
rf-no-threshold = none
rf-awards = Seat by seat
rf-ties = Ties
rf-no-ties = none
rf-tie-seat = seat
rf-none = No station has a protocol of the 2021 lists yet: there is nothing to allocate.
rf-bad-param = Parameter “{ $param }”: { $message }.
